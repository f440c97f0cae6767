@testable import GroveModel
import GroveNumerics
import GroveTestSupport
import Foundation
import Testing

/// A trained model over inputs that are exactly 0 in about half their features, normalised as
/// the service normalises them (so a raw 0 is not 0 any more when the experts see it).
private func sparseInputModel() throws -> (MixtureOfExperts, Matrix, [Int32]) {
    var data = SyntheticData.blobs(rows: 300, dimension: 20, classes: 4, separation: 2, seed: 11)
    var rng = SeededRNG(seed: 12)
    for i in 0..<data.x.storage.count where rng.nextUnitFloat() < 0.5 { data.x.storage[i] = 0 }
    let model = try MixtureOfExperts.uniform(inputs: 20, hidden: 24, classCount: 4, experts: 5,
                                             normalization: InputNormalization(fittedTo: data.x),
                                             config: MoEConfig(topK: 2, noiseStd: 0), seed: 11)
    let trainer = try MoETrainer(model: model, options: TrainingOptions(optimizer: AdamWConfig(learningRate: 3e-3), seed: 11))
    try trainer.fit(x: data.x, y: data.y, epochs: 10, batchSize: 32, seed: 11)
    return (trainer.model, data.x, data.y)
}

/// A trained model whose experts each have statistics of their own, over rows on three scales
/// (1, 255 and 1/255, about half their features exactly 0), with a row-standardised hidden gate.
private func mixedScaleModel() throws -> (MixtureOfExperts, Matrix, [Int32]) {
    var data = SyntheticData.blobs(rows: 300, dimension: 20, classes: 4, separation: 2, seed: 21)
    var rng = SeededRNG(seed: 22)
    let scales: [Float] = [1, 255, 1 / 255]
    for r in 0..<data.x.rows {
        for d in 0..<data.x.cols {
            data.x[r, d] = rng.nextUnitFloat() < 0.5 ? 0 : data.x[r, d] * scales[r % 3]
        }
    }
    var experts: [Expert] = []
    for e in scales.indices {
        let rows = (0..<data.x.rows).filter { $0 % 3 == e }
        let part = Matrix(rows: rows.count, cols: 20, storage: rows.flatMap { Array(data.x.storage[$0 * 20 ..< ($0 + 1) * 20]) })
        experts.append(Expert(id: e, inputs: 20, hidden: 24, classes: [0, 1, 2, 3],
                              normalization: InputNormalization(fittedTo: part), rng: &rng))
    }
    let model = try MixtureOfExperts(inputs: 20, classCount: 4, experts: experts, gateHidden: 8,
                                     gateInput: .rowStandardized(RowScaleStatistics(fittedTo: data.x)),
                                     config: MoEConfig(topK: 2, noiseStd: 0), rng: &rng)
    // Routing supervision sends each scale's rows to the expert of that scale.
    let trainer = try MoETrainer(model: model, options: TrainingOptions(optimizer: AdamWConfig(learningRate: 3e-3), routingSupervision: 1, seed: 21),
                                 expertGroups: [0: 0, 1: 1, 2: 2])
    let targets = (0..<data.x.rows).map { Int32($0 % 3) }
    try trainer.fit(x: data.x, y: data.y, routingTargets: targets, epochs: 20, batchSize: 32, seed: 21)
    return (trainer.model, data.x, data.y)
}

/// Small batches skip zero features, large ones run GEMMs over transposed weights with the
/// normalisation folded in; both must give the training forward pass's probabilities and the
/// same experts.
@Test func everyPredictionPathMatchesTheTrainingForwardPass() throws {
    let (model, x, y) = try sparseInputModel()
    #expect(model.experts.allSatisfy { $0.normalization.normalizedZero != 0 })
    try checkPredictionPaths(model: model, x: x, y: y)
}

/// The same with experts on three scales and a row-standardised gate.
@Test func predictionPathsMatchTrainingWithExpertsOnDifferentScales() throws {
    let (model, x, y) = try mixedScaleModel()
    #expect(Set(model.experts.map(\.normalization.std)).count == 3)
    try checkPredictionPaths(model: model, x: x, y: y)
}

private func checkPredictionPaths(model: MixtureOfExperts, x: Matrix, y: [Int32]) throws {
    let predictor = try MoEPredictor(model: model)
    let c = model.classCount
    let k = model.effectiveTopK
    let (batchProbabilities, batchExperts) = x.storage.withUnsafeBufferPointer { xb in
        predictor.predict(x: xb.baseAddress!, rows: x.rows) { p, e in (Array(p), Array(e)) }
    }
    // Each call's answers against the whole batch's, for small (sparse path) and large calls.
    func compare(_ predictor: MoEPredictor, rowsPerCall: Int, _ name: String) {
        var maxDifference: Float = 0
        x.storage.withUnsafeBufferPointer { xb in
            for start in stride(from: 0, to: x.rows, by: rowsPerCall) {
                let rows = min(rowsPerCall, x.rows - start)
                predictor.predict(x: xb.baseAddress! + start * x.cols, rows: rows) { p, e in
                    for i in 0..<(rows * c) { maxDifference = max(maxDifference, abs(p[i] - batchProbabilities[start * c + i])) }
                    #expect(Array(e) == Array(batchExperts[(start * k)..<((start + rows) * k)]), "\(name), rows from \(start)")
                }
            }
        }
        #expect(maxDifference < 1e-5, "\(name), \(rowsPerCall) rows per call differ by \(maxDifference)")
    }
    for rowsPerCall in [1, 3, 4] { compare(predictor, rowsPerCall: rowsPerCall, "folded") }
    // A predictor that reads the model's weights in place (evaluations) gives the same answers.
    let shared = try MoEPredictor(sharing: model)
    for rowsPerCall in [x.rows, 3] { compare(shared, rowsPerCall: rowsPerCall, "shared") }
    // The training engine's cross-entropy (W1 as stored, dense inputs) is the reference.
    let reference = try x.storage.withUnsafeBufferPointer { xb in
        try y.withUnsafeBufferPointer { yb in
            try MoETrainer(model: model).loss(x: xb.baseAddress!, labels: yb.baseAddress!, rows: x.rows).crossEntropy
        }
    }
    var crossEntropy: Double = 0
    // Floored as the trainer floors it.
    for r in 0..<x.rows { crossEntropy -= log(Double(max(batchProbabilities[r * c + Int(y[r])], 1e-30))) }
    crossEntropy /= Double(x.rows)
    #expect(abs(crossEntropy - Double(reference)) < 1e-5 * max(1, Double(reference)), "\(crossEntropy) vs \(reference)")
    #expect(reference < 0.5, "the model must have learned something for the comparison to mean anything")
}

/// A request's answers must not depend on the load: a predictor that may use every core (gate
/// blocks and experts in parallel) and one that stays on its thread give the same bits, for
/// batches below, at and above the gate's block size.
@Test func answersAreTheSameBitsWhetherABatchUsesEveryCoreOrOne() throws {
    let (model, x, _) = try mixedScaleModel()
    let alone = try MoEPredictor(model: model)
    let beside = alone.sibling()
    alone.usesEveryCore = true
    #expect(!beside.usesEveryCore)
    func answers(_ predictor: MoEPredictor, rows: Int) -> ([Float], [Int32]) {
        x.storage.withUnsafeBufferPointer { xb in
            predictor.predict(x: xb.baseAddress!, rows: rows) { p, e in (Array(p), Array(e)) }
        }
    }
    for rows in [5, 64, 65, 200, x.rows] {
        let (p1, e1) = answers(alone, rows: rows)
        let (p2, e2) = answers(beside, rows: rows)
        #expect(p1.count == p2.count, "\(rows) rows")
        let differing = p1.indices.first { p1[$0].bitPattern != p2[$0].bitPattern }
        #expect(differing == nil, "\(rows) rows: probability \(differing ?? -1) differs")
        #expect(e1 == e2, "\(rows) rows")
    }
}

/// Work handed to run beside a prediction runs exactly once per call, on the hot helper thread
/// while the gate runs when the helper is spinning, else on the caller's; it is done, its
/// writes visible, when the answer is; and the answers are the bits of a prediction without it.
/// The helper spins and waits for a job far longer than by default, so that a loaded machine
/// (the whole test run in parallel) still hands small batches' work over.
@Test func workBesideAPredictionRunsOnceAndLeavesTheAnswersUnchanged() throws {
    let (model, x, _) = try mixedScaleModel()
    let predictor = try MoEPredictor(model: model, helperSpin: .milliseconds(200), pickup: .milliseconds(200))
    let reference = try MoEPredictor(model: model)
    let caller = pthread_self()
    var onHelper = 0
    try x.storage.withUnsafeBufferPointer { xb in
        let base = try #require(xb.baseAddress)
        for call in 0..<200 {
            let rows = [1, 2, 4, 5, 64][call % 5]
            let start = (call * 7) % (x.rows - rows)
            let row = base + start * x.cols
            var runs = 0
            var sum: Float = -1
            var elsewhere = false
            let (p, e) = predictor.predict(x: row, rows: rows, beside: {
                runs += 1
                sum = (0..<(rows * x.cols)).reduce(0) { $0 + row[$1] }
                elsewhere = pthread_equal(pthread_self(), caller) == 0
            }) { p, e in (Array(p), Array(e)) }
            let (p0, e0) = reference.predict(x: row, rows: rows) { p, e in (Array(p), Array(e)) }
            #expect(runs == 1 && sum == (0..<(rows * x.cols)).reduce(0) { $0 + row[$1] }, "call \(call)")
            #expect(p.map(\.bitPattern) == p0.map(\.bitPattern) && e == e0, "call \(call), \(rows) rows")
            if elsewhere { onHelper += 1 }
        }
    }
    // Small batches (three calls in five) find the helper spinning once it has been woken.
    #expect(onHelper >= 100, "\(onHelper) of 120 small batches' work ran on the helper")
}
