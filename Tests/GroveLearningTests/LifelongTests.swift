import GroveData
@testable import GroveLearning
import GroveModel
import GroveNumerics
import GroveTestSupport
import Testing

/// A small synthetic domain: Gaussian blobs for `classes` in a region of input space.
private func domain(classes: [Int32], region: UInt64, rows: Int, seed: UInt64) throws -> Dataset {
    let samples = SyntheticData.region(classes: classes, region: region, rows: rows, seed: seed)
    return try Dataset(features: samples.features, dimension: 20, labels: samples.labels, source: "region-\(region).csv")
}

private func smallConfig(seed: UInt64 = 0) -> LifelongConfig {
    .forTests(hidden: 16, expertEpochs: 4, gateSteps: 130, replayPerDomain: 100,
              detectorSamples: 64, permutations: 100, batchSize: 32, seed: seed)
}

@Test(arguments: [0, 5] as [UInt64])
func frozenExpertsStayBitIdenticalAcrossPhases(seed: UInt64) throws {
    var learner = LifelongLearner(config: smallConfig(seed: seed))
    try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 400, seed: seed), test: nil)
    let first = try #require(learner.model).experts.map(\.checksum)
    try learner.learn(train: domain(classes: [2, 3], region: 2, rows: 400, seed: seed + 1), test: nil)
    try learner.learn(train: domain(classes: [4, 5], region: 3, rows: 400, seed: seed + 2), test: nil)
    let model = try #require(learner.model)
    #expect(model.experts.count == 3, "seed \(seed)")
    #expect(Array(model.experts.map(\.checksum).prefix(first.count)) == first, "seed \(seed)")
    #expect(model.experts.allSatisfy { $0.isFrozen })
}

@Test func eachNewRegionIsDetectedNewAndGrowsAnExpertOfItsOwn() throws {
    var learner = LifelongLearner(config: smallConfig())
    let a = try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 400, seed: 1), test: nil)
    let b = try learner.learn(train: domain(classes: [2, 3], region: 2, rows: 400, seed: 2), test: nil)
    #expect(a.detection.decision == .new && a.detection.nearestDomain == nil)
    #expect(b.detection.decision == .new)
    #expect(b.detection.nearestDomain == a.domain)
    #expect(a.grown.count == 1 && b.grown.count == 1)
    let model = try #require(learner.model)
    #expect(model.experts[1].parent == nil, "an expert that knows none of the new classes is no start for them")
}

@Test func aRelatedNewDomainStartsFromTheNearestDomainsExpertAndAnUnrelatedOneDoesNot() throws {
    var learner = LifelongLearner(config: smallConfig())
    try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 400, seed: 1), test: nil)
    // The same classes with every feature moved by 1.5: a new distribution for the detector, and
    // the first expert already tells its classes apart (it reads the data at unit scale).
    var moved = SyntheticData.region(classes: [0, 1], region: 1, rows: 400, seed: 2)
    for i in moved.features.indices { moved.features[i] += 1.5 }
    let related = try learner.learn(
        train: Dataset(features: moved.features, dimension: 20, labels: moved.labels, source: "moved.csv"), test: nil)
    #expect(related.detection.decision == .new)
    let first = try #require(learner.model?.experts.first)
    #expect(learner.model?.experts.last?.parent == first.id)
    let normalization = try #require(learner.model?.experts.last?.normalization)
    // The same labels on features of another region: no better than a guess, so no parent.
    let unrelated = try domain(classes: [0, 1], region: 9, rows: 400, seed: 3)
    let x = Matrix(rows: unrelated.count, cols: 20, storage: unrelated.features)
    #expect(try learner.isRelated(first, x: x, y: unrelated.labels, normalization: InputNormalization(fittedTo: x), seed: 0) == false)
    #expect(try learner.isRelated(first, x: Matrix(rows: 400, cols: 20, storage: moved.features), y: moved.labels,
                                  normalization: normalization, seed: 0))
}

@Test func moreDataOfALearnedDomainIsKnownAndGrowsAChildExpert() throws {
    var learner = LifelongLearner(config: smallConfig())
    try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 400, seed: 1), test: nil)
    try learner.learn(train: domain(classes: [2, 3], region: 2, rows: 400, seed: 2), test: nil)
    let again = try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 400, seed: 77), test: nil)
    #expect(again.detection.decision == .known)
    #expect(again.domain == learner.domains[0].name)
    #expect(learner.domains.count == 2)
    let model = try #require(learner.model)
    let child = try #require(model.experts.last)
    #expect(child.parent == learner.domains[0].experts.first)
    #expect(learner.domains[0].experts.count == 2)
}

@Test func gateRetrainingKeepsOldDomainsRoutedToTheirOwnExperts() throws {
    var learner = LifelongLearner(config: smallConfig(seed: 3))
    for (i, classes) in [[0, 1], [2, 3], [4, 5], [6, 7]].enumerated() {
        try learner.learn(train: domain(classes: classes.map(Int32.init), region: UInt64(i + 1), rows: 500, seed: UInt64(10 + i)), test: nil)
    }
    let last = try #require(learner.phases.last)
    for evaluation in last.evaluations {
        #expect(evaluation.routingAccuracy >= 0.9, "\(evaluation.domain): routing \(evaluation.routingAccuracy)")
        #expect(evaluation.accuracy >= 0.85, "\(evaluation.domain): accuracy \(evaluation.accuracy)")
    }
    let metrics = try #require(learner.metrics)
    #expect(metrics.averageForgetting <= 0.1)
}

@Test func aDatasetOfTheWrongDimensionFailsAndChangesNothing() throws {
    var learner = LifelongLearner(config: smallConfig())
    try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 300, seed: 1), test: nil)
    let before = learner.model
    let bad = try Dataset(features: [Float](repeating: 0.5, count: 30 * 7), dimension: 7, labels: [Int32](repeating: 0, count: 30), source: "bad.csv")
    #expect(throws: LearningError.dimensionMismatch(source: "bad.csv", expected: 20, got: 7)) {
        try learner.learn(train: bad, test: nil)
    }
    #expect(learner.model == before)
    #expect(learner.phases.count == 1)
}

@Test func aDeclaredDomainThatContradictsTheEvidenceIsReported() throws {
    var learner = LifelongLearner(config: smallConfig())
    try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 300, seed: 1), test: nil, declaredDomain: "alpha")
    let report = try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 300, seed: 2), test: nil, declaredDomain: "beta")
    #expect(report.domain == "beta")
    #expect(report.contradiction?.contains("match known domain 'alpha'") == true)
}

@Test func cancellationLeavesTheLearnerAsItWas() throws {
    var learner = LifelongLearner(config: smallConfig())
    try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 300, seed: 1), test: nil)
    let before = learner.model
    #expect(throws: CancellationError.self) {
        try learner.learn(train: domain(classes: [2, 3], region: 2, rows: 300, seed: 2), test: nil, monitor: PhaseMonitor(shouldStop: { true }))
    }
    #expect(learner.model == before)
    #expect(learner.domains.count == 1)
}

@Test func aPhaseReportsRisingProgressThroughEveryStage() throws {
    final class Shares: @unchecked Sendable { var values: [Double] = [] }
    let shares = Shares()
    var learner = LifelongLearner(config: smallConfig())
    try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 300, seed: 1), test: nil)
    try learner.learn(train: domain(classes: [2, 3], region: 2, rows: 300, seed: 2), test: nil,
                      monitor: PhaseMonitor(progress: { shares.values.append($0) }))
    let values = shares.values
    #expect(values.first == 0.05, "detection is done first")
    #expect(values.last == 1)
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "progress never goes back")
    #expect(values.contains { $0 > 0.05 && $0 < 0.70 }, "expert training reports its steps")
    #expect(values.contains { $0 > 0.70 && $0 < 0.95 }, "gate retraining reports its steps")
}

/// Three small domains on a line: the gate must carve out the middle one between its neighbours.
/// With the configured epochs alone (a few dozen steps for 300 rows) the middle domain went to
/// the third domain's expert (routing 0.0, accuracy 0.0); the minimum expert steps and the
/// default gate budget fix that.
@Test func aDomainBetweenTwoOthersOnALineIsRoutedToItsOwnExpert() throws {
    var config = LifelongConfig.forTests(hidden: 32, expertEpochs: 2, gateSteps: LifelongConfig().gateSteps,
                                         replayPerDomain: 3000, detectorSamples: 64, permutations: 100)
    config.expertMinimumSteps = LifelongConfig().expertMinimumSteps
    var learner = LifelongLearner(config: config)
    var report: PhaseReport?
    for d in 0..<3 {
        func data(_ seed: UInt64) throws -> Dataset {
            let samples = SyntheticData.line(domain: d, spacing: 8, rows: 300, seed: seed)
            return try Dataset(features: samples.features, dimension: 20, labels: samples.labels, source: "line-\(d).csv")
        }
        report = try learner.learn(train: data(7), test: data(99))
    }
    let evaluations = try #require(report?.evaluations)
    #expect(evaluations.count == 3)
    for evaluation in evaluations {
        #expect(evaluation.routingAccuracy >= 0.9, "\(evaluation.domain): routing \(evaluation.routingAccuracy)")
        #expect(evaluation.accuracy >= 0.9, "\(evaluation.domain): accuracy \(evaluation.accuracy)")
    }
}

@Test func shortDatasetsTrainForAtLeastTheMinimumSteps() {
    // 300 rows in batches of 128 are 3 steps an epoch: 150 steps take 50 epochs.
    #expect(LifelongConfig.epochs(2, samples: 300, batchSize: 128, minimumSteps: 150) == 50)
    // Large datasets keep their epochs.
    #expect(LifelongConfig.epochs(2, samples: 10_200, batchSize: 128, minimumSteps: 150) == 2)
    #expect(LifelongConfig.epochs(4, samples: 6_000, batchSize: 64, minimumSteps: 1000) == 11)
    #expect(LifelongConfig.epochs(3, samples: 0, batchSize: 64, minimumSteps: 1000) == 3)
    #expect(LifelongConfig.epochs(1, samples: 300, batchSize: 64, minimumSteps: 0) == 1, "no minimum")
    #expect(LifelongConfig.epochs(1, samples: 300, batchSize: 64, minimumSteps: .max) > 1, "no overflow")
}
