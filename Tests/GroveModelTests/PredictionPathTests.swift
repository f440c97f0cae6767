import GroveModel
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
    var model = try MixtureOfExperts.uniform(inputs: 20, hidden: 24, classCount: 4, experts: 5,
                                             config: MoEConfig(topK: 2, noiseStd: 0), seed: 11)
    model.normalization = InputNormalization(fittedTo: data.x)
    let trainer = try MoETrainer(model: model, options: TrainingOptions(optimizer: AdamWConfig(learningRate: 3e-3), seed: 11))
    try trainer.fit(x: data.x, y: data.y, epochs: 10, batchSize: 32, seed: 11)
    return (trainer.model, data.x, data.y)
}

/// Small batches skip background features, large ones run GEMMs over transposed weights; both
/// must give the training forward pass's probabilities and the same experts.
@Test func everyPredictionPathMatchesTheTrainingForwardPass() throws {
    let (model, x, y) = try sparseInputModel()
    #expect(model.normalization.normalizedZero != 0)
    let predictor = try MoEPredictor(model: model)
    let c = model.classCount
    let k = model.effectiveTopK
    let (batchProbabilities, batchExperts) = x.storage.withUnsafeBufferPointer { xb in
        predictor.predict(x: xb.baseAddress!, rows: x.rows) { p, e in (Array(p), Array(e)) }
    }
    for rowsPerCall in [1, 3, 4] {
        var maxDifference: Float = 0
        x.storage.withUnsafeBufferPointer { xb in
            for start in stride(from: 0, to: x.rows, by: rowsPerCall) {
                let rows = min(rowsPerCall, x.rows - start)
                predictor.predict(x: xb.baseAddress! + start * x.cols, rows: rows) { p, e in
                    for i in 0..<(rows * c) { maxDifference = max(maxDifference, abs(p[i] - batchProbabilities[start * c + i])) }
                    #expect(Array(e) == Array(batchExperts[(start * k)..<((start + rows) * k)]), "rows from \(start)")
                }
            }
        }
        #expect(maxDifference < 1e-5, "\(rowsPerCall) rows per call differ by \(maxDifference)")
    }
    // The training engine's cross-entropy (W1 as stored, dense inputs) is the reference.
    let reference = try x.storage.withUnsafeBufferPointer { xb in
        try y.withUnsafeBufferPointer { yb in
            try MoETrainer(model: model).loss(x: xb.baseAddress!, labels: yb.baseAddress!, rows: x.rows).crossEntropy
        }
    }
    var crossEntropy: Double = 0
    for r in 0..<x.rows { crossEntropy -= log(Double(batchProbabilities[r * c + Int(y[r])])) }
    crossEntropy /= Double(x.rows)
    #expect(abs(crossEntropy - Double(reference)) < 1e-5 * max(1, Double(reference)), "\(crossEntropy) vs \(reference)")
    #expect(reference < 0.5, "the model must have learned something for the comparison to mean anything")
}
