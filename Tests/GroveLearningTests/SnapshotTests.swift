import Foundation
import GroveData
@testable import GroveLearning
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

/// A learner as stores written before experts had statistics of their own kept it: every expert
/// and a standardised gate read the inputs through one model-wide normalisation.
private func versionOneLearner() throws -> (LifelongLearner, InputNormalization) {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil)
    try learner.learn(train: blobs(10, classes: [2, 3], shift: 4, rows: 200, seed: 2), test: nil)
    let current = try #require(learner.model)
    let shared = InputNormalization(mean: 1.5, std: 2.5)
    var rng = SeededRNG(seed: 9)
    let experts = try current.experts.map { e in
        try Expert(id: e.id, parent: e.parent, domain: e.domain, inputs: 10, hidden: e.shape.hidden, classes: e.classes,
                   parameters: e.parameters, isFrozen: e.isFrozen, normalization: shared)
    }
    let gate = Gate(inputs: 10, hidden: current.gate.hidden, experts: experts.count, rng: &rng)
    learner.model = try MixtureOfExperts(inputs: 10, classCount: current.classCount, experts: experts, gate: gate,
                                         gateInput: .standardized(shared), config: current.config)
    return (learner, shared)
}

@Test func aVersionOneSnapshotRestoresWithItsSharedNormalizationAndGrowsOn() throws {
    let (old, shared) = try versionOneLearner()
    let (document, stored) = try #require(old.snapshot(labels: LabelRegistry()))
    // Rewrite the document as version 1 wrote it: one top-level normalisation, nothing per expert.
    var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(document)) as? [String: Any])
    object["version"] = 1
    object["gateInput"] = nil
    object["normalization"] = ["mean": Double(shared.mean), "std": Double(shared.std)]
    object["experts"] = (object["experts"] as? [[String: Any]])?.map { entry in
        var e = entry
        e["normalization"] = nil
        return e
    }
    let versionOne = try JSONDecoder().decode(LearnerSnapshot.self, from: JSONSerialization.data(withJSONObject: object))
    #expect(versionOne.version == 1 && versionOne.gateInput == nil)
    var restored = try LifelongLearner.restore(versionOne, config: config()) { sha in
        guard let blob = stored[sha] else { throw SnapshotError.malformedBlob(sha256: sha, what: "missing") }
        return blob.data
    }
    #expect(restored.model == old.model)
    let frozen = try #require(restored.model).experts.map(\.checksum)

    try restored.learn(train: blobs(10, classes: [4, 5], shift: -4, rows: 200, seed: 3), test: nil)
    let grown = try #require(restored.model)
    #expect(Array(grown.experts.map(\.checksum).prefix(frozen.count)) == frozen, "old experts stay bit-identical")
    #expect(grown.experts.prefix(frozen.count).allSatisfy { $0.normalization == shared })
    guard case .rowStandardized = grown.gateInput else {
        Issue.record("the next phase must replace the old standardised gate, found \(grown.gateInput)")
        return
    }
    #expect(grown.gate.inputs == 12)
    let (next, _) = try #require(restored.snapshot(labels: LabelRegistry()))
    #expect(next.version == LearnerSnapshot.currentVersion)
}

@Test func aSnapshotOfAnUnknownVersionOrMissingFieldsIsRefused() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil)
    let (document, stored) = try #require(learner.snapshot(labels: LabelRegistry()))
    let blob: (String) throws -> Data = { sha in try #require(stored[sha]).data }
    var future = document
    future.version = 3
    #expect(throws: SnapshotError.unsupportedVersion(3)) { try LifelongLearner.restore(future, config: config(), blob: blob) }
    var partial = document
    partial.gateInput = nil
    #expect(throws: SnapshotError.missingField("gateInput", version: 2)) {
        try LifelongLearner.restore(partial, config: config(), blob: blob)
    }
}

/// The largest difference between `before`'s class probabilities on `x` and `after`'s on `x`
/// multiplied by `factor`.
private func probabilityDifference(_ before: MixtureOfExperts, onInputs x: Dataset, _ after: MixtureOfExperts, scaledBy factor: Float) throws -> Float {
    let scaled = x.features.map { $0 * factor }
    let p = try MoEPredictor(model: before), q = try MoEPredictor(model: after)
    let original = x.features.withUnsafeBufferPointer { xb in p.predict(x: xb.baseAddress!, rows: x.count) { probs, _ in Array(probs) } }
    let moved = scaled.withUnsafeBufferPointer { xb in q.predict(x: xb.baseAddress!, rows: x.count) { probs, _ in Array(probs) } }
    return zip(original, moved).map { abs($0 - $1) }.max() ?? .infinity
}

@Test func rescalingEveryDomainBy255PredictsOnScaledInputsWhatTheLearnerPredictedBefore() throws {
    let (old, shared) = try versionOneLearner()
    var rescaled = old
    try rescaled.rescale(domains: Set(old.domains.map(\.name)), by: 255)
    let before = try #require(old.model), after = try #require(rescaled.model)
    #expect(after.experts.map(\.checksum) == before.experts.map(\.checksum), "weights are untouched")
    #expect(after.experts.allSatisfy { $0.normalization == InputNormalization(mean: shared.mean * 255, std: shared.std * 255) })
    #expect(after.gateInput == .standardized(InputNormalization(mean: shared.mean * 255, std: shared.std * 255)))
    for (a, b) in zip(old.domains, rescaled.domains) {
        #expect(b.replay.features == a.replay.features.map { $0 * 255 })
        #expect(b.testX.storage == a.testX.storage.map { $0 * 255 })
        #expect(b.signature.sampleValues == a.signature.sampleValues.map { $0 * 255 })
    }
    let difference = try probabilityDifference(before, onInputs: blobs(10, classes: [0, 1, 2, 3], shift: 2, rows: 200, seed: 4),
                                                after, scaledBy: 255)
    #expect(difference < 1e-4, "probabilities differ by \(difference)")
}

@Test func rescalingSomeDomainsLeavesTheGateForTheNextPhase() throws {
    let (old, shared) = try versionOneLearner()
    var rescaled = old
    try rescaled.rescale(domains: [old.domains[0].name], by: 255)
    let model = try #require(rescaled.model)
    #expect(model.gateInput == .standardized(shared))
    #expect(model.experts[0].normalization.std == shared.std * 255 && model.experts[1].normalization == shared)
}

@Test func rescalingALearnerWithARowStandardizedGatePredictsOnScaledInputsAsBefore() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil)
    try learner.learn(train: blobs(10, classes: [2, 3], shift: 4, rows: 200, seed: 2), test: nil)
    var rescaled = learner
    try rescaled.rescale(domains: Set(learner.domains.map(\.name)), by: 255)
    let before = try #require(learner.model), after = try #require(rescaled.model)
    guard case .rowStandardized = after.gateInput else {
        Issue.record("expected a row-standardised gate, found \(after.gateInput)")
        return
    }
    let difference = try probabilityDifference(before, onInputs: blobs(10, classes: [0, 1, 2, 3], shift: 2, rows: 100, seed: 5),
                                                after, scaledBy: 255)
    #expect(difference < 1e-4, "probabilities differ by \(difference)")
    #expect(throws: LearningError.invalidScale(0)) { try rescaled.rescale(domains: ["x"], by: 0) }
}

@Test func aVersionOneSnapshotWithoutItsNormalizationIsRefused() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil)
    let (document, stored) = try #require(learner.snapshot(labels: LabelRegistry()))
    var old = document
    old.version = 1
    #expect(throws: SnapshotError.missingField("normalization", version: 1)) {
        try LifelongLearner.restore(old, config: config()) { sha in try #require(stored[sha]).data }
    }
}
