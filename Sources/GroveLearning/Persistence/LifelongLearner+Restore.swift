import Foundation
import GroveData
import GroveModel
import GroveNumerics

/// Why a stored learner could not be restored.
public enum SnapshotError: GroveError, Equatable {
    /// A blob does not decode to what the snapshot says it holds.
    case malformedBlob(sha256: String, what: String)
    /// The snapshot document is of an unknown version.
    case unsupportedVersion(Int)
    /// The snapshot document lacks a field its version requires.
    case missingField(String, version: Int)

    public var description: String {
        switch self {
        case .malformedBlob(let sha, let what): "snapshot blob \(sha.prefix(12)) (\(what)) is malformed"
        case .unsupportedVersion(let v): "snapshot version \(v) is not supported (expected 1 to \(LearnerSnapshot.currentVersion))"
        case .missingField(let field, let version): "snapshot version \(version) has no '\(field)'"
        }
    }
}

extension LifelongLearner {
    /// Rebuilds a learner from a snapshot (version 1 to 4), fetching the blobs of the experts, the
    /// gate and the domains' means (``blobsToRead(_:)``) by SHA-256 through `blob`. The domains'
    /// other blobs (signatures, held-out and replay rows) are not read: the learner reads them
    /// from `archive` when a phase needs them.
    /// - Throws: `SnapshotError`, `ModelError`, or whatever `blob` throws (a missing or
    ///   corrupted blob).
    public static func restore(_ snapshot: LearnerSnapshot, config: LifelongConfig, archive: (any SampleArchive)?,
                               blob: (String) throws -> Data) throws -> LifelongLearner {
        func floats(_ sha: String, _ what: String) throws -> [Float] {
            guard let values = FloatCoding.floats(try blob(sha)) else { throw SnapshotError.malformedBlob(sha256: sha, what: what) }
            return values
        }
        let (gateInput, expertNormalization) = try inputForms(of: snapshot)
        let experts = try snapshot.experts.map { e in
            try Expert(id: e.id, parent: e.parent, domain: e.domain, inputs: snapshot.inputs, hidden: e.hidden,
                       classes: e.classes, parameters: try floats(e.blob, "expert \(e.id) weights"), isFrozen: e.frozen,
                       normalization: try expertNormalization(e))
        }
        let gate = try Gate(inputs: gateInput.width(features: snapshot.inputs), hidden: snapshot.gate.hidden,
                            experts: snapshot.gate.experts, parameters: try floats(snapshot.gate.blob, "gate"))
        let model = try MixtureOfExperts(inputs: snapshot.inputs, classCount: snapshot.classCount, experts: experts,
                                         gate: gate, gateInput: gateInput, config: snapshot.moe)
        var learner = LifelongLearner(config: config, archive: archive)
        let domains = try snapshot.domains.map { entry in
            let mean = try mean(of: entry, inputs: snapshot.inputs, blob: blob)
            return DomainState(
                name: entry.name, group: entry.group, signature: entry.signatureBlob, mean: mean,
                // Snapshots before version 3 name no mean: it is stored with the next phase.
                meanBlob: entry.meanBlob ?? learner.blobs.put("signature", FloatCoding.data(mean)), experts: entry.experts,
                classes: Set(entry.classes), heldOut: try heldOut(of: entry, version: snapshot.version),
                replay: ReplayState(capacity: entry.replayCapacity, seen: entry.replaySeen, generator: entry.replayGenerator,
                                    rows: try replay(of: entry, version: snapshot.version)),
                firstPhase: entry.firstPhase, evaluationSamples: entry.evaluationSamples ?? config.evaluationSamples)
        }
        learner.model = model
        learner.domains = domains
        learner.earlierPhaseCount = try phaseCount(of: snapshot)
        learner.retired = snapshot.retired
        return learner
    }

    /// The blobs ``restore(_:config:archive:blob:)`` reads: the experts', the gate's and, for
    /// each domain, its mean's (or, in snapshots before version 3, its signature's).
    public static func blobsToRead(_ snapshot: LearnerSnapshot) -> Set<String> {
        Set(snapshot.experts.map(\.blob) + [snapshot.gate.blob] + snapshot.domains.map { $0.meanBlob ?? $0.signatureBlob })
    }

    /// A domain entry's mean: its blob, or (before version 3) its signature's mean.
    private static func mean(of entry: LearnerSnapshot.DomainEntry, inputs: Int, blob: (String) throws -> Data) throws -> [Float] {
        if let sha = entry.meanBlob {
            guard let mean = FloatCoding.floats(try blob(sha)), mean.count == inputs else {
                throw SnapshotError.malformedBlob(sha256: sha, what: "mean of \(entry.name)")
            }
            return mean
        }
        guard let signature = DomainSignature(bytes: try blob(entry.signatureBlob)), signature.dimension == inputs else {
            throw SnapshotError.malformedBlob(sha256: entry.signatureBlob, what: "signature of \(entry.name)")
        }
        return signature.mean
    }

    /// A domain entry's held-out rows: its chunks, or (before version 3) its one blob.
    private static func heldOut(of entry: LearnerSnapshot.DomainEntry, version: Int) throws -> RowChunks {
        if let chunks = entry.heldOut { return chunks }
        guard let blob = entry.testBlob, let count = entry.testCount else {
            throw SnapshotError.missingField("domains[\(entry.name)].heldOut", version: version)
        }
        return RowChunks(chunks: count > 0 ? [.init(blob: blob, rows: count)] : [])
    }

    /// A domain entry's replay rows: its chunks, or (before version 3) its one blob, which holds
    /// as many rows as were offered up to the reservoir's capacity.
    private static func replay(of entry: LearnerSnapshot.DomainEntry, version: Int) throws -> RowChunks {
        if let chunks = entry.replay { return chunks }
        guard let blob = entry.replayBlob else { throw SnapshotError.missingField("domains[\(entry.name)].replay", version: version) }
        let count = min(entry.replaySeen, entry.replayCapacity)
        return RowChunks(chunks: count > 0 ? [.init(blob: blob, rows: count)] : [])
    }

    /// The number of phases a snapshot's model went through: the count (version 4) or the
    /// number of phase reports (earlier versions).
    private static func phaseCount(of snapshot: LearnerSnapshot) throws -> Int {
        if snapshot.version >= 4 {
            guard let count = snapshot.phaseCount, count > 0 else { throw SnapshotError.missingField("phaseCount", version: snapshot.version) }
            return count
        }
        guard let phases = snapshot.phases else { throw SnapshotError.missingField("phases", version: snapshot.version) }
        return phases.count
    }

    /// The gate's input form and each expert's statistics, as the snapshot's version keeps them.
    private static func inputForms(of snapshot: LearnerSnapshot) throws -> (GateInput, (LearnerSnapshot.ExpertEntry) throws -> InputNormalization) {
        switch snapshot.version {
        case 1:
            guard let shared = snapshot.normalization else { throw SnapshotError.missingField("normalization", version: 1) }
            return (.standardized(shared), { _ in shared })
        case 2, 3, 4:
            guard let gateInput = snapshot.gateInput else { throw SnapshotError.missingField("gateInput", version: snapshot.version) }
            return (gateInput, { entry in
                guard let normalization = entry.normalization else {
                    throw SnapshotError.missingField("experts[\(entry.id)].normalization", version: snapshot.version)
                }
                return normalization
            })
        default:
            throw SnapshotError.unsupportedVersion(snapshot.version)
        }
    }
}
