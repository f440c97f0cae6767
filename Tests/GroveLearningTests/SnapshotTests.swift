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

private func config(replayPerDomain: Int = 50) -> LifelongConfig {
    .forTests(hidden: 8, expertEpochs: 2, gateSteps: 9, replayPerDomain: replayPerDomain, detectorSamples: 32, permutations: 50)
}

/// Restores `document`: experts and the gate from `stored`, the domains' blobs read through an
/// archive of `stored`.
private func restore(_ document: LearnerSnapshot, from stored: [String: SnapshotBlob],
                     settings: LifelongConfig? = nil) throws -> LifelongLearner {
    try LifelongLearner.restore(document, config: settings ?? config(), archive: MemoryArchive(stored)) { sha in
        guard let blob = stored[sha] else { throw SnapshotError.malformedBlob(sha256: sha, what: "missing") }
        #expect(Checksum.sha256(blob.data) == sha)
        return blob.data
    }
}

/// Every blob a document names.
private func names(in document: LearnerSnapshot) -> Set<String> {
    var out = Set(document.experts.map(\.blob) + [document.gate.blob])
    for d in document.domains {
        out.insert(d.signatureBlob)
        if let mean = d.meanBlob { out.insert(mean) }
        for set in [d.heldOut, d.replay].compactMap({ $0 }) { out.formUnion(set.chunks.map(\.blob)) }
    }
    return out
}

/// What a service does once a commit is stored: the blobs handed over go to the learner's
/// archive (when it reads from one) and the learner marks them stored.
private func store(_ handed: [String: SnapshotBlob], for learner: inout LifelongLearner) {
    if var archive = learner.blobs.archive as? MemoryArchive {
        archive.add(handed)
        learner.blobs.archive = archive
    }
    learner.markBlobsStored()
}

@Test func aRestoredLearnerEqualsTheOriginalAndContinuesIdentically() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil)
    try learner.learn(train: blobs(10, classes: [2, 3], shift: 4, rows: 200, seed: 2), test: nil)
    let (document, stored) = try #require(learner.snapshot(labels: LabelRegistry()))
    #expect(Set(stored.keys) == names(in: document), "a learner that never stored its blobs hands over all of them")
    let json = try JSONEncoder().encode(document)
    let decoded = try JSONDecoder().decode(LearnerSnapshot.self, from: json)
    #expect(decoded == document)
    #expect(decoded.version == 4 && decoded.phaseCount == 2)
    let keys = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any]).keys
    #expect(!keys.contains("phases") && !keys.contains("accuracy"), "phase reports are the store's rows, not the snapshot's")
    var restored = try restore(decoded, from: stored)
    #expect(restored.model == learner.model)
    #expect(restored.domains == learner.domains)
    #expect(restored.phaseCount == 2 && restored.phases.isEmpty && restored.metrics == nil)
    #expect(restored.blobs.pending.isEmpty, "a restored learner reads its domains' blobs from the archive")
    #expect(try restored.evaluateFully() == learner.evaluateFully())
    let next = try blobs(10, classes: [4, 5], shift: -4, rows: 200, seed: 3)
    let original = try learner.learn(train: next, test: nil)
    let continued = try restored.learn(train: next, test: nil)
    #expect(continued.index == 2 && original.index == 2, "the phase index goes on from the stored count")
    #expect(restored.model == learner.model)
    #expect(restored.domains == learner.domains)
    #expect(restored.phaseCount == 3 && restored.phases == [continued])
}

@Test func aBlobOfTheWrongShapeIsRejectedByName() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil)
    let (document, stored) = try #require(learner.snapshot(labels: LabelRegistry()))
    let gateSHA = document.gate.blob
    #expect(throws: ModelError.self) {
        try LifelongLearner.restore(document, config: config(), archive: nil) { sha in
            sha == gateSHA ? Data(count: 8) : (stored[sha]?.data ?? Data())
        }
    }
    // A held-out chunk that does not hold its rows is named when a phase reads it.
    let chunk = try #require(document.domains.first?.heldOut?.chunks.first)
    var damaged = stored
    damaged[chunk.blob] = SnapshotBlob(kind: "split", data: Data(count: 12))
    let restored = try restore(document, from: damaged)
    #expect(throws: SnapshotError.malformedBlob(sha256: chunk.blob, what: "held-out rows of \(document.domains[0].name)")) {
        try restored.evaluateFully()
    }
}

/// Once the store holds a learner's blobs, a snapshot hands over only the blobs made since: a
/// new domain's signature, held-out and replay chunks, the gate and the new experts' weights; a
/// known domain that gets more data, its new held-out chunks and the replay chunks that changed.
/// With the blobs handed over before, it restores the same learner. The same with the blobs
/// kept in memory (no archive) and read back from an archive.
@Test(arguments: [false, true])
func afterItsBlobsAreStoredASnapshotHandsOverOnlyNewBlobs(archived: Bool) throws {
    // Reservoirs of 600 rows: 340 rows are two chunks, and 170 more fill only the second.
    let settings = config(replayPerDomain: 600)
    var learner = LifelongLearner(config: settings, archive: archived ? MemoryArchive() : nil)
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 400, seed: 1), test: nil, declaredDomain: "a")
    try learner.learn(train: blobs(10, classes: [2, 3], shift: 4, rows: 400, seed: 2), test: nil, declaredDomain: "b")
    let (first, firstBlobs) = try #require(learner.snapshot(labels: LabelRegistry()))
    #expect(Set(firstBlobs.keys) == names(in: first))
    #expect(first.domains.allSatisfy { $0.replay?.chunks.count == 2 })
    store(firstBlobs, for: &learner)
    #expect(learner.blobs.pending.isEmpty)
    let (unchanged, unchangedBlobs) = try #require(learner.snapshot(labels: LabelRegistry(), since: first))
    #expect(unchanged == first)
    #expect(Set(unchangedBlobs.keys) == [first.gate.blob], "nothing new but the gate, which is always handed over")

    // A new domain.
    let third = try learner.learn(train: blobs(10, classes: [4, 5], shift: -4, rows: 400, seed: 3), test: nil, declaredDomain: "c")
    let (second, secondBlobs) = try #require(learner.snapshot(labels: LabelRegistry(), since: first))
    let (whole, _) = try #require(learner.snapshot(labels: LabelRegistry()))
    #expect(second == whole, "the same document either way")
    #expect(second.domains.map(\.name) == ["a", "b", "c"])
    #expect(Array(second.domains.prefix(2)) == first.domains, "a and b did not change")
    let grown = try #require(second.domains.last)
    let heldOut = try #require(grown.heldOut), replay = try #require(grown.replay)
    let newExperts = second.experts.filter { third.grown.contains($0.id) }.map(\.blob)
    #expect(newExperts.count == third.grown.count && !newExperts.isEmpty)
    #expect(Set(secondBlobs.keys)
        == Set([grown.signatureBlob, grown.meanBlob, second.gate.blob].compactMap { $0 } + heldOut.chunks.map(\.blob) + replay.chunks.map(\.blob) + newExperts))
    #expect(secondBlobs[grown.signatureBlob]?.kind == "signature" && secondBlobs[second.gate.blob]?.kind == "gate")
    #expect(heldOut.chunks.allSatisfy { secondBlobs[$0.blob]?.kind == "split" })
    #expect(replay.chunks.allSatisfy { secondBlobs[$0.blob]?.kind == "replay" })
    #expect(newExperts.allSatisfy { secondBlobs[$0]?.kind == "weights" })
    store(secondBlobs, for: &learner)

    // More data for a known domain: its held-out set grows by new chunks, its reservoir's first
    // chunk stays as it was and its second changes.
    let again = try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 9), test: nil, declaredDomain: "a")
    #expect(again.detection.decision == .known)
    let (latest, latestBlobs) = try #require(learner.snapshot(labels: LabelRegistry(), since: second))
    let before = second.domains[0], after = latest.domains[0]
    let heldBefore = try #require(before.heldOut), heldAfter = try #require(after.heldOut)
    let replayBefore = try #require(before.replay), replayAfter = try #require(after.replay)
    #expect(Array(heldAfter.chunks.prefix(heldBefore.chunks.count)) == heldBefore.chunks, "held-out rows are appended")
    let newHeldOut = heldAfter.chunks.dropFirst(heldBefore.chunks.count).map(\.blob)
    #expect(!newHeldOut.isEmpty)
    #expect(replayAfter.chunks.count == 2 && replayAfter.chunks[0] == replayBefore.chunks[0])
    let changedReplay = replayAfter.chunks.map(\.blob).filter { !replayBefore.chunks.map(\.blob).contains($0) }
    #expect(changedReplay == [replayAfter.chunks[1].blob])
    #expect(after.signatureBlob == before.signatureBlob)
    #expect(Array(latest.domains.dropFirst()) == Array(second.domains.dropFirst()), "b and c did not change")
    let childExperts = latest.experts.filter { again.grown.contains($0.id) }.map(\.blob)
    #expect(Set(latestBlobs.keys) == Set(newHeldOut + changedReplay + [latest.gate.blob] + childExperts))
    store(latestBlobs, for: &learner)

    // The union of what was handed over restores the same learner, which learns on identically.
    var stored = firstBlobs
    for more in [secondBlobs, latestBlobs] { stored.merge(more) { kept, _ in kept } }
    var restored = try restore(latest, from: stored, settings: settings)
    #expect(restored.model == learner.model)
    #expect(restored.domains == learner.domains)
    #expect(restored.phaseCount == learner.phaseCount)
    let next = try blobs(10, classes: [2, 3], shift: 4, rows: 200, seed: 11)
    try learner.learn(train: next, test: nil, declaredDomain: "b")
    try restored.learn(train: next, test: nil, declaredDomain: "b")
    #expect(restored.model == learner.model)
    #expect(restored.domains == learner.domains)
}

/// `document` as versions 1 and 2 kept its domains' rows: each domain's held-out set and
/// replay reservoir in one blob. Returns the document and the blobs it names instead of the
/// chunks. Like every version before 4, the document holds `learner`'s phase reports and
/// accuracy matrix instead of a phase count.
private func singleBlobDomains(of document: LearnerSnapshot, blobs stored: [String: SnapshotBlob], learner: LifelongLearner,
                               version: Int) throws -> (LearnerSnapshot, [String: SnapshotBlob]) {
    var added: [String: SnapshotBlob] = [:]
    func joined(_ set: RowChunks, kind: String) throws -> String {
        var features: [Float] = [], labels: [Int32] = []
        for chunk in set.chunks {
            let blob = try #require(stored[chunk.blob])
            let rows = try #require(LabelledRows.decode(blob.data, dimension: document.inputs))
            features += rows.features
            labels += rows.labels
        }
        let data = LabelledRows.encode(features: features, labels: labels)
        added[Checksum.sha256(data)] = SnapshotBlob(kind: kind, data: data)
        return Checksum.sha256(data)
    }
    var out = document
    out.version = version
    out.phaseCount = nil
    out.phases = learner.phases
    out.accuracy = learner.accuracy
    out.domains = try document.domains.map { entry in
        var e = entry
        let heldOut = try #require(entry.heldOut), replay = try #require(entry.replay)
        e.testBlob = try joined(heldOut, kind: "split")
        e.testCount = heldOut.count
        e.replayBlob = try joined(replay, kind: "replay")
        e.heldOut = nil
        e.replay = nil
        return e
    }
    return (out, added)
}

/// The signatures of `stored` and `added`: what an archive of an older store holds for the
/// domains.
private func olderArchive(_ stored: [String: SnapshotBlob], _ added: [String: SnapshotBlob]) -> [String: SnapshotBlob] {
    stored.filter { $0.value.kind == "signature" }.merging(added) { kept, _ in kept }
}

/// A version-2 document (each domain's held-out set and reservoir in one blob) restores with one
/// chunk each, evaluates the same rows and keeps learning: more data for a known domain continues
/// its reservoir exactly where the original's goes.
@Test func aVersionTwoSnapshotRestoresWithOneChunkPerSetAndKeepsLearning() throws {
    let settings = config(replayPerDomain: 600)
    var learner = LifelongLearner(config: settings)
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 400, seed: 1), test: nil, declaredDomain: "a")
    try learner.learn(train: blobs(10, classes: [2, 3], shift: 4, rows: 400, seed: 2), test: nil, declaredDomain: "b")
    let (document, stored) = try #require(learner.snapshot(labels: LabelRegistry()))
    let (converted, added) = try singleBlobDomains(of: document, blobs: stored, learner: learner, version: 2)
    let versionTwo = try JSONDecoder().decode(LearnerSnapshot.self, from: JSONEncoder().encode(converted))
    #expect(versionTwo.version == 2 && versionTwo.domains.allSatisfy { $0.heldOut == nil && $0.replay == nil && $0.testBlob != nil })
    #expect(document.domains.allSatisfy { ($0.replay?.chunks.count ?? 0) > 1 }, "the reservoirs were more than one chunk")

    let archive = MemoryArchive(olderArchive(stored, added))
    var restored = try LifelongLearner.restore(versionTwo, config: settings, archive: archive) { sha in
        guard let blob = stored[sha] else { throw SnapshotError.malformedBlob(sha256: sha, what: "missing") }
        return blob.data
    }
    #expect(restored.model == learner.model)
    #expect(restored.phaseCount == 2 && restored.phases.isEmpty)
    for (old, new) in zip(learner.domains, restored.domains) {
        #expect(new.heldOut.chunks.count == 1 && new.replay.rows.chunks.count == 1)
        #expect(new.heldOut.count == old.heldOut.count && new.replay.rows.count == old.replay.rows.count)
        #expect(new.replay.seen == old.replay.seen && new.replay.generator == old.replay.generator)
        #expect(new.signature == old.signature && new.experts == old.experts && new.classes == old.classes)
    }
    #expect(try restored.evaluateFully() == learner.evaluateFully(), "the same held-out rows in the same order")

    let more = try blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 9)
    let original = try learner.learn(train: more, test: nil, declaredDomain: "a")
    let report = try restored.learn(train: more, test: nil, declaredDomain: "a")
    #expect(report.detection.matches(original.detection), "\(report.detection) vs \(original.detection)")
    let model = try #require(restored.model), reference = try #require(learner.model)
    #expect(model.experts.map(\.checksum) == reference.experts.map(\.checksum), "the same child expert")
    #expect(restored.domains[0].replay == learner.domains[0].replay, "the reservoir went on as the original's did")
    #expect(restored.domains[0].heldOut.chunks.last == learner.domains[0].heldOut.chunks.last)
    #expect(restored.domains[0].heldOut.count == learner.domains[0].heldOut.count)
    #expect(Set(restored.blobs.pending.keys).isDisjoint(with: archive.blobs.keys), "stored rows are not handed over again")
    let (next, _) = try #require(restored.snapshot(labels: LabelRegistry()))
    #expect(next.version == LearnerSnapshot.currentVersion)
    #expect(next.domains.allSatisfy { $0.heldOut != nil && $0.replay != nil && $0.testBlob == nil })
    #expect(report.evaluations.map(\.domain) == ["a", "b"])
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
    let (current, stored) = try #require(old.snapshot(labels: LabelRegistry()))
    // Rewrite the document as version 1 wrote it: each domain's rows in one blob, one top-level
    // normalisation, nothing per expert.
    let (document, added) = try singleBlobDomains(of: current, blobs: stored, learner: old, version: 1)
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
    #expect(versionOne.domains.allSatisfy { $0.heldOut == nil && $0.replay == nil && $0.testBlob != nil && $0.replayBlob != nil })
    let archive = MemoryArchive(olderArchive(stored, added))
    var restored = try LifelongLearner.restore(versionOne, config: config(), archive: archive) { sha in
        guard let blob = stored[sha] else { throw SnapshotError.malformedBlob(sha256: sha, what: "missing") }
        return blob.data
    }
    #expect(restored.model == old.model)
    #expect(restored.domains.map(\.heldOut.count) == old.domains.map(\.heldOut.count))
    #expect(try restored.evaluateFully() == old.evaluateFully())
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
    #expect(next.version == LearnerSnapshot.currentVersion && next.phaseCount == 3)
}

@Test func aSnapshotOfAnUnknownVersionOrMissingFieldsIsRefused() throws {
    var learner = LifelongLearner(config: config())
    try learner.learn(train: blobs(10, classes: [0, 1], shift: 0, rows: 200, seed: 1), test: nil)
    let (document, stored) = try #require(learner.snapshot(labels: LabelRegistry()))
    let blob: (String) throws -> Data = { sha in try #require(stored[sha]).data }
    var future = document
    future.version = 5
    #expect(throws: SnapshotError.unsupportedVersion(5)) {
        try LifelongLearner.restore(future, config: config(), archive: nil, blob: blob)
    }
    var partial = document
    partial.gateInput = nil
    #expect(throws: SnapshotError.missingField("gateInput", version: 4)) {
        try LifelongLearner.restore(partial, config: config(), archive: nil, blob: blob)
    }
    var uncounted = document
    uncounted.phaseCount = nil
    #expect(throws: SnapshotError.missingField("phaseCount", version: 4)) {
        try LifelongLearner.restore(uncounted, config: config(), archive: nil, blob: blob)
    }
    var noRows = document
    noRows.domains[0].heldOut = nil
    #expect(throws: SnapshotError.missingField("domains[\(document.domains[0].name)].heldOut", version: 4)) {
        try LifelongLearner.restore(noRows, config: config(), archive: nil, blob: blob)
    }
    var noReplay = document
    noReplay.domains[0].replay = nil
    #expect(throws: SnapshotError.missingField("domains[\(document.domains[0].name)].replay", version: 4)) {
        try LifelongLearner.restore(noReplay, config: config(), archive: nil, blob: blob)
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
        let replayBefore = try old.blobs.rows(a.replay.rows.chunks, dimension: 10, what: "replay")
        let replayAfter = try rescaled.blobs.rows(b.replay.rows.chunks, dimension: 10, what: "replay")
        #expect(replayAfter.features == replayBefore.features.map { $0 * 255 } && replayAfter.labels == replayBefore.labels)
        #expect(b.replay.seen == a.replay.seen && b.replay.generator == a.replay.generator)
        let heldBefore = try old.blobs.rows(a.heldOut.chunks, dimension: 10, what: "held-out")
        let heldAfter = try rescaled.blobs.rows(b.heldOut.chunks, dimension: 10, what: "held-out")
        #expect(heldAfter.features == heldBefore.features.map { $0 * 255 } && heldAfter.labels == heldBefore.labels)
        #expect(try rescaled.signature(of: b, dimension: 10).sampleValues
            == old.signature(of: a, dimension: 10).sampleValues.map { $0 * 255 })
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
        try LifelongLearner.restore(old, config: config(), archive: nil) { sha in try #require(stored[sha]).data }
    }
}
