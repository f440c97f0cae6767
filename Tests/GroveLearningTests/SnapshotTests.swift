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

/// A snapshot since the last one hands over only what changed; with the earlier blobs it
/// restores the same learner.
@Test func aSnapshotSinceThePreviousOneHandsOverOnlyWhatChanged() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil, declaredDomain: "a")
    try learner.learn(train: blobs(10, classes: [2, 3], shift: 4, rows: 200, seed: 2), test: nil, declaredDomain: "b")
    let (first, firstBlobs) = try #require(learner.snapshot(labels: LabelRegistry()))
    let third = try learner.learn(train: blobs(10, classes: [4, 5], shift: -4, rows: 200, seed: 3), test: nil, declaredDomain: "c")
    let (second, secondBlobs) = try #require(learner.snapshot(labels: LabelRegistry(), since: first, fresh: third.domain))
    let (whole, _) = try #require(learner.snapshot(labels: LabelRegistry()))
    #expect(second == whole, "the same document either way")
    for (old, new) in zip(first.domains, second.domains) {
        #expect([new.signatureBlob, new.testBlob, new.replayBlob].allSatisfy { secondBlobs[$0] == nil }, "\(new.name) unchanged")
        #expect(new.replayBlob == old.replayBlob && new.testBlob == old.testBlob)
    }
    #expect(second.domains.map(\.name) == ["a", "b", "c"])
    let grown = try #require(second.domains.last)
    #expect([grown.signatureBlob, grown.testBlob, grown.replayBlob].allSatisfy { secondBlobs[$0] != nil })
    #expect(second.experts.filter { secondBlobs[$0.blob] != nil }.map(\.id) == third.grown, "only the new expert's weights")
    #expect(secondBlobs[second.gate.blob] != nil)

    // More data for a known domain changes its held-out split and replay: handed over again.
    let again = try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 9), test: nil, declaredDomain: "a")
    let (third2, thirdBlobs) = try #require(learner.snapshot(labels: LabelRegistry(), since: second, fresh: again.domain))
    let known = try #require(third2.domains.first { $0.name == again.domain })
    #expect(thirdBlobs[known.replayBlob] != nil && thirdBlobs[known.testBlob] != nil)
    #expect(third2.domains.filter { thirdBlobs[$0.replayBlob] != nil }.map(\.name) == ["a"])

    var stored = firstBlobs
    stored.merge(secondBlobs) { a, _ in a }
    stored.merge(thirdBlobs) { a, _ in a }
    let restored = try LifelongLearner.restore(third2, config: config()) { sha in
        guard let blob = stored[sha] else { throw SnapshotError.malformedBlob(sha256: sha, what: "missing") }
        return blob.data
    }
    #expect(restored.model == learner.model)
    #expect(restored.domains == learner.domains)
}
