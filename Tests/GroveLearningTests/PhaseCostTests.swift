import Foundation
import GroveData
@testable import GroveLearning
import GroveModel
import GroveNumerics
import GroveTestSupport
import Testing

/// What a phase reads and runs does not grow with the domains learned before: the domains' rows
/// stay in an archive between phases, gate retraining runs a fixed budget of steps, and each
/// phase evaluates a fixed sample of every domain's held-out rows.

/// Gaussian blobs for `classes` in a region of a 20-dimensional input space set by `region`.
private func domain(classes: [Int32], region: UInt64, rows: Int, seed: UInt64) throws -> Dataset {
    let samples = SyntheticData.region(classes: classes, region: region, rows: rows, seed: seed)
    return try Dataset(features: samples.features, dimension: 20, labels: samples.labels, source: "region-\(region).csv")
}

private func tinyConfig(gateSteps: Int = 20) -> LifelongConfig {
    .forTests(hidden: 8, expertEpochs: 2, gateSteps: gateSteps, replayPerDomain: 100,
              detectorSamples: 32, permutations: 50, batchSize: 32)
}

/// Hands the learner's new blobs to its archive and marks them stored, as a service commit does.
private func commit(_ learner: inout LifelongLearner) throws {
    let (_, handed) = try #require(learner.snapshot(labels: LabelRegistry()))
    var archive = try #require(learner.blobs.archive as? MemoryArchive)
    archive.add(handed)
    learner.blobs.archive = archive
    learner.markBlobsStored()
}

@Test func aLearnerReadingFromAnArchiveKeepsNoDomainRowsInMemoryAndLearnsBitForBitAsOneThatKeepsThemAll() throws {
    var kept = LifelongLearner(config: tinyConfig())
    var archived = LifelongLearner(config: tinyConfig(), archive: MemoryArchive())
    var datasets: [Dataset] = []
    for i in 0..<3 {
        let classes: [Int32] = [Int32(2 * i), Int32(2 * i + 1)]
        datasets.append(try domain(classes: classes, region: UInt64(i + 1), rows: 300, seed: UInt64(i + 1)))
    }
    for data in datasets.prefix(2) {
        try kept.learn(train: data, test: nil)
        try archived.learn(train: data, test: nil)
        #expect(!archived.blobs.pending.isEmpty)
        try commit(&archived)
        #expect(archived.blobs.pending.isEmpty)
    }
    #expect(archived.lastPhaseRows == nil)
    // Nothing of the domains is left in memory: without the archive not a row can be read.
    var cut = archived
    cut.blobs.archive = MemoryArchive()
    #expect(throws: MemoryArchive.Missing.self) { try cut.evaluateFully() }
    #expect(throws: MemoryArchive.Missing.self) { try cut.learn(train: datasets[2], test: nil) }
    // A learner without an archive keeps its blobs after marking them stored.
    kept.markBlobsStored()
    #expect(kept.blobs.pending.isEmpty)
    #expect(try kept.evaluateFully() == archived.evaluateFully())

    try kept.learn(train: datasets[2], test: nil)
    try archived.learn(train: datasets[2], test: nil)
    let a = try #require(archived.model), b = try #require(kept.model)
    #expect(a.experts.map(\.checksum) == b.experts.map(\.checksum))
    #expect(a.gate.parameters.map(\.bitPattern) == b.gate.parameters.map(\.bitPattern))
    #expect(a == b)
    #expect(archived.domains == kept.domains)
    #expect(archived.accuracy == kept.accuracy)
}

/// The gate steps of each phase, counted by the progress reports of gate retraining (one a step,
/// between 70 % and 95 % of the phase).
private func gateSteps(learning domains: Int, config: LifelongConfig) throws -> [Int] {
    final class Shares: @unchecked Sendable { var values: [Double] = [] }
    var learner = LifelongLearner(config: config)
    var counts: [Int] = []
    for i in 0..<domains {
        let shares = Shares()
        let classes: [Int32] = [Int32(2 * i), Int32(2 * i + 1)]
        let data = try domain(classes: classes, region: UInt64(i + 1), rows: 200, seed: UInt64(i + 1))
        try learner.learn(train: data, test: nil, monitor: PhaseMonitor(progress: { shares.values.append($0) }))
        // Expert training ends at 70 % (up to rounding), gate retraining's first step reports
        // 70 % + 25 % / gateSteps, evaluation reports 100 %.
        counts.append(shares.values.filter { $0 > 0.70 + 1e-9 && $0 < 0.96 }.count)
    }
    return counts
}

@Test func gateRetrainingRunsTheSameBudgetOfStepsHoweverManyDomainsThereAre() throws {
    var config = tinyConfig(gateSteps: 30)
    config.gatePatience = .max  // no early stop: the whole budget runs
    let counts = try gateSteps(learning: 5, config: config)
    #expect(counts == [0, 30, 30, 30, 30], "one expert has no gate to train; then the budget, every phase")

    // Early stopping can only end it sooner.
    config.gatePatience = 1
    config.gateValidationInterval = 5
    let stopped = try gateSteps(learning: 4, config: config)
    #expect(stopped.first == 0 && stopped.dropFirst().allSatisfy { $0 > 0 && $0 <= 30 }, "\(stopped)")
}

/// Each domain's sample is fixed when it is registered: the phase budget over the domains then
/// known, within the minimum and maximum; it never shrinks as more domains come.
@Test func aPhaseEvaluatesAFixedSampleOfEachDomainAndEvaluateFullyReadsEveryHeldOutRow() throws {
    var config = tinyConfig()
    config.evaluationSamples = 25
    config.evaluationRows = 45
    config.evaluationMinimumSamples = 12
    #expect((1...5).map { config.evaluationSamples(forDomainNumber: $0) } == [25, 22, 15, 12, 12])
    var learner = LifelongLearner(config: config)
    // 400 rows hold out 60; a 100-row test set for the second domain; 13 held-out rows for the third.
    try learner.learn(train: domain(classes: [0, 1], region: 1, rows: 400, seed: 1), test: nil)
    try learner.learn(train: domain(classes: [2, 3], region: 2, rows: 300, seed: 2),
                      test: domain(classes: [2, 3], region: 2, rows: 100, seed: 22))
    let last = try learner.learn(train: domain(classes: [4, 5], region: 3, rows: 300, seed: 3),
                                 test: domain(classes: [4, 5], region: 3, rows: 13, seed: 33))
    let heldOut = learner.domains.map(\.heldOut.count)
    #expect(heldOut[1] == 100 && heldOut[2] == 13 && heldOut[0] > 25, "\(heldOut)")
    #expect(learner.domains.map(\.evaluationSamples) == [25, 22, 15])
    #expect(last.evaluations.map(\.samples) == [25, 22, 13])
    for phase in learner.phases {
        #expect(phase.evaluations.map(\.samples) == Array([25, 22, 13].prefix(phase.index + 1)), "phase \(phase.index)")
    }
    let full = try learner.evaluateFully()
    #expect(full.map(\.samples) == heldOut)
    #expect(full.map(\.domain) == learner.domains.map(\.name))

    // The sample is the held-out set's first rows: evaluating again gives what the phase gave.
    #expect(try learner.evaluateAll(fully: false) == last.evaluations)
}

/// The gate's learning rate: a linear ramp to the peak, cosine decay over the budget, and a
/// peak that falls as 1/√n once the model has more than `gateLearningRateDomains` domains.
@Test func theGateLearningRateRampsDecaysAndShrinksWithTheNumberOfDomains() {
    #expect(GateSchedule.learningRateFactor(step: 0, total: 1000, warmup: 100) == 0.01 * LearningRateSchedule.cosine.factor(step: 0, total: 1000))
    #expect(GateSchedule.learningRateFactor(step: 49, total: 1000, warmup: 100) == 0.5 * LearningRateSchedule.cosine.factor(step: 49, total: 1000))
    #expect(GateSchedule.learningRateFactor(step: 500, total: 1000, warmup: 100) == LearningRateSchedule.cosine.factor(step: 500, total: 1000))
    #expect(abs(GateSchedule.learningRateFactor(step: 500, total: 1000, warmup: 100) - 0.5) < 1e-6)
    #expect(GateSchedule.learningRateFactor(step: 0, total: 10, warmup: 0) == 1)
    var config = LifelongConfig()
    config.gateLearningRate = 2e-3
    config.gateLearningRateDomains = 10
    #expect(config.gatePeakLearningRate(domains: 2) == 2e-3)
    #expect(config.gatePeakLearningRate(domains: 10) == 2e-3)
    #expect(abs(config.gatePeakLearningRate(domains: 40) - 1e-3) < 1e-9)
    #expect(abs(config.gatePeakLearningRate(domains: 1000) - 2e-4) < 1e-9)
    config.gateLearningRateDomains = 0
    #expect(config.gatePeakLearningRate(domains: 1000) == 2e-3)
}
