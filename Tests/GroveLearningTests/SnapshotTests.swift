import Foundation
import GroveData
import GroveLearning
import GroveModel
import GroveNumerics
import GroveTestSupport
import Testing

private func blobs(_ d: Int, classes: [Int32], shift: Float, rows: Int, seed: UInt64) throws -> Dataset {
    var rng = SeededRNG(seed: seed)
    var features: [Float] = []
    var labels: [Int32] = []
    for _ in 0..<rows {
        let c = classes[Int(rng.next() % UInt64(classes.count))]
        for j in 0..<d { features.append(shift + Float(c) * (j % 3 == 0 ? 1 : -1) + rng.nextGaussian()) }
        labels.append(c)
    }
    return try Dataset(features: features, dimension: d, labels: labels, source: "synthetic-\(seed)")
}

private func config() -> LifelongConfig {
    .forTests(hidden: 8, expertEpochs: 2, gateEpochs: 3, replayPerDomain: 50, detectorSamples: 32, permutations: 50)
}

@Test func aRestoredLearnerEqualsTheOriginalAndContinuesIdentically() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil)
    try learner.learn(train: blobs(10, classes: [2, 3], shift: 4, rows: 200, seed: 2), test: nil)
    let (document, stored) = try #require(learner.snapshot(labels: LabelRegistry()))
    let json = try JSONEncoder().encode(document)
    let decoded = try JSONDecoder().decode(LearnerSnapshot.self, from: json)
    #expect(decoded == document)
    var restored = try LifelongLearner.restore(decoded, config: config()) { sha in
        guard let blob = stored[sha] else { throw SnapshotError.malformedBlob(sha256: sha, what: "missing") }
        #expect(Checksum.sha256(blob.data) == sha)
        return blob.data
    }
    #expect(restored.model == learner.model)
    #expect(restored.domains == learner.domains)
    #expect(restored.phases == learner.phases)
    let next = try blobs(10, classes: [4, 5], shift: -4, rows: 200, seed: 3)
    try learner.learn(train: next, test: nil)
    try restored.learn(train: next, test: nil)
    #expect(restored.model == learner.model)
}

@Test func aBlobOfTheWrongShapeIsRejectedByName() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil)
    let (document, stored) = try #require(learner.snapshot(labels: LabelRegistry()))
    let gateSHA = document.gate.blob
    #expect(throws: ModelError.self) {
        try LifelongLearner.restore(document, config: config()) { sha in
            sha == gateSHA ? Data(count: 8) : (stored[sha]?.data ?? Data())
        }
    }
}
