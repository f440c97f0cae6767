import Foundation
import GroveData
@testable import GroveLearning
import GroveModel
import GroveNumerics
import GroveTestSupport
import Testing

/// Learning must not care about the scale a domain's features come on: a domain whose features
/// are ×255, ×1/255, shifted or partly constant relative to earlier domains is learned as well
/// as if it had come first.

/// Overlapping Gaussian classes of one domain in a region of input space set by `region`
/// (close enough that a domain learned alone stays below perfect accuracy); every feature is
/// then multiplied by `scale` and moved by `shift`, and the features in `constant` are replaced
/// by `shift` itself.
private func domain(
    region: UInt64, classes: [Int32], rows: Int, seed: UInt64, scale: Float = 1, shift: Float = 0,
    constant: Range<Int> = 0..<0
) throws -> Dataset {
    let d = 16
    var samples = SyntheticData.region(classes: classes, region: region, rows: rows, dimension: d, centreSpread: 0.9, seed: seed)
    for i in samples.features.indices {
        samples.features[i] = constant.contains(i % d) ? shift : samples.features[i] * scale + shift
    }
    return try Dataset(features: samples.features, dimension: d, labels: samples.labels, source: "region-\(region)-x\(scale).csv")
}

private func config() -> LifelongConfig {
    .forTests(hidden: 32, expertEpochs: 20, gateSteps: 348, replayPerDomain: 300,
              detectorSamples: 64, permutations: 100, batchSize: 32)
}

/// One domain's training and held-out data.
private struct ScaledDomain {
    let train: Dataset
    let test: Dataset
}

/// Learns `order` one after another and returns each domain's final accuracy on its whole
/// held-out set, by domain index (a phase's own evaluation reads a sample, which differs between
/// the orders compared).
private func accuracies(learning domains: [ScaledDomain], order: [Int]) throws -> [Int: Double] {
    var learner = LifelongLearner(config: config())
    for i in order {
        try learner.learn(train: domains[i].train, test: domains[i].test, declaredDomain: "d\(i)")
    }
    let final = try learner.evaluateFully()
    var out: [Int: Double] = [:]
    for i in order {
        out[i] = try #require(final.first { $0.domain == "d\(i)" }).accuracy
    }
    return out
}

@Test func domainsOnScales1And255And1Over255AreLearnedInEveryOrderAsWellAsAlone() throws {
    let scales: [Float] = [1, 255, 1 / 255]
    let domains = try scales.enumerated().map { i, scale in
        let classes = [Int32(3 * i), Int32(3 * i + 1), Int32(3 * i + 2)]
        return ScaledDomain(
            train: try domain(region: UInt64(i), classes: classes, rows: 1000, seed: UInt64(10 + i), scale: scale),
            test: try domain(region: UInt64(i), classes: classes, rows: 1000, seed: UInt64(20 + i), scale: scale))
    }
    let alone = try domains.indices.map { try #require(accuracies(learning: domains, order: [$0])[$0]) }
    for a in alone { #expect(a > 0.6 && a < 0.999, "a domain alone must be neither trivial nor unlearnable: \(a)") }
    let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
    for order in orders {
        let together = try accuracies(learning: domains, order: order)
        for i in order {
            let value = try #require(together[i])
            #expect(value >= alone[i] - 0.02,
                    "order \(order.map { scales[$0] }): scale \(scales[i]) reached \(value), alone \(alone[i])")
        }
    }
}

@Test func aShiftedDomainWithConstantFeaturesIsLearnedAsWellAsAlone() throws {
    let plain = ScaledDomain(
        train: try domain(region: 7, classes: [0, 1, 2], rows: 1000, seed: 1),
        test: try domain(region: 7, classes: [0, 1, 2], rows: 1000, seed: 2))
    let shifted = ScaledDomain(
        train: try domain(region: 8, classes: [3, 4, 5], rows: 1000, seed: 3, scale: 0.5, shift: 1000, constant: 0..<5),
        test: try domain(region: 8, classes: [3, 4, 5], rows: 1000, seed: 4, scale: 0.5, shift: 1000, constant: 0..<5))
    let domains = [plain, shifted]
    let alone = try domains.indices.map { try #require(accuracies(learning: domains, order: [$0])[$0]) }
    for a in alone { #expect(a > 0.6, "each domain alone must be learnable: \(a)") }
    for order in [[0, 1], [1, 0]] {
        let together = try accuracies(learning: domains, order: order)
        for i in order {
            let value = try #require(together[i])
            #expect(value >= alone[i] - 0.02, "order \(order): domain \(i) reached \(value), alone \(alone[i])")
        }
    }
}

@Test func eachExpertKeepsTheStatisticsOfItsOwnDomain() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: try domain(region: 0, classes: [0, 1, 2], rows: 400, seed: 1), test: nil)
    try learner.learn(train: try domain(region: 1, classes: [3, 4, 5], rows: 400, seed: 2, scale: 255), test: nil)
    let model = try #require(learner.model)
    let stds = model.experts.map(\.normalization.std)
    #expect(stds.count == 2)
    #expect(stds[1] / stds[0] > 100, "the ×255 domain's expert must normalise by its own, larger spread: \(stds)")
    guard case .rowStandardized = model.gateInput else {
        Issue.record("a learner's gate reads row-standardised inputs, not \(model.gateInput)")
        return
    }
}
