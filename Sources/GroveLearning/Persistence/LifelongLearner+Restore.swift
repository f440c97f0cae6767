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
    /// Rebuilds a learner from a snapshot (version 1 or 2), fetching blobs by SHA-256 through
    /// `blob`.
    /// - Throws: `SnapshotError`, `ModelError`, or whatever `blob` throws (a missing or
    ///   corrupted blob).
    public static func restore(_ snapshot: LearnerSnapshot, config: LifelongConfig, blob: (String) throws -> Data) throws -> LifelongLearner {
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
        let d = snapshot.inputs
        let domains = try snapshot.domains.map { entry in
            guard let signature = DomainSignature(bytes: try blob(entry.signatureBlob)), signature.dimension == d else {
                throw SnapshotError.malformedBlob(sha256: entry.signatureBlob, what: "signature of \(entry.name)")
            }
            guard let test = LabelledRows.decode(try blob(entry.testBlob), dimension: d) else {
                throw SnapshotError.malformedBlob(sha256: entry.testBlob, what: "held-out split of \(entry.name)")
            }
            guard let replay = LabelledRows.decode(try blob(entry.replayBlob), dimension: d) else {
                throw SnapshotError.malformedBlob(sha256: entry.replayBlob, what: "replay of \(entry.name)")
            }
            return DomainState(
                name: entry.name, group: entry.group, signature: signature, experts: entry.experts,
                classes: Set(entry.classes), testX: Matrix(rows: test.labels.count, cols: d, storage: test.features),
                testY: test.labels,
                replay: ReplayReservoir(capacity: entry.replayCapacity, dimension: d, features: replay.features,
                                        labels: replay.labels, seen: entry.replaySeen, rng: entry.replayGenerator),
                firstPhase: entry.firstPhase)
        }
        var learner = LifelongLearner(config: config)
        learner.model = model
        learner.domains = domains
        learner.phases = snapshot.phases
        learner.accuracy = snapshot.accuracy
        return learner
    }

    /// The gate's input form and each expert's statistics, as the snapshot's version keeps them.
    private static func inputForms(of snapshot: LearnerSnapshot) throws -> (GateInput, (LearnerSnapshot.ExpertEntry) throws -> InputNormalization) {
        switch snapshot.version {
        case 1:
            guard let shared = snapshot.normalization else { throw SnapshotError.missingField("normalization", version: 1) }
            return (.standardized(shared), { _ in shared })
        case 2:
            guard let gateInput = snapshot.gateInput else { throw SnapshotError.missingField("gateInput", version: 2) }
            return (gateInput, { entry in
                guard let normalization = entry.normalization else {
                    throw SnapshotError.missingField("experts[\(entry.id)].normalization", version: 2)
                }
                return normalization
            })
        default:
            throw SnapshotError.unsupportedVersion(snapshot.version)
        }
    }
}
