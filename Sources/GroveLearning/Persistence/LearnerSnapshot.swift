import Foundation
import GroveData
import GroveModel
import GroveNumerics

/// A lifelong learner's whole state as a small JSON document plus content-addressed blobs.
///
/// Large arrays (expert weights, the gate, signatures, held-out splits, replay reservoirs) are
/// blobs named by their SHA-256, so an unchanged frozen expert is the same blob in every model
/// version. `encode` gives the document and its blobs; `restore` rebuilds the learner, checking
/// every blob's shape.
///
/// Version 4 keeps only the number of phases: their reports and the accuracy matrix are the
/// store's rows, and versions 1 to 3, which held them too (growing with every phase), restore
/// without them. Version 3 keeps each domain's held-out set and replay reservoir as chunks of rows
/// (``RowChunks``), which a phase reads when it needs them; version 2 kept each as one blob,
/// which restores as a single chunk. Version 2 keeps each expert's input statistics with the
/// expert and the gate's input form with the gate. Version 1 (stores written before) had one
/// model-wide ``normalization`` for the experts and the gate; restoring it gives every expert
/// those statistics and the gate the standardised form, which computes exactly what version 1
/// computed.
public struct LearnerSnapshot: Sendable, Codable, Equatable {
    /// The format version this code writes.
    public static let currentVersion = 4

    /// Format version of the document.
    public var version = LearnerSnapshot.currentVersion
    /// Model input dimension.
    public var inputs: Int
    /// Size of the label space.
    public var classCount: Int
    /// The model-wide label names.
    public var labels: LabelRegistry
    /// Version 1 only: the model-wide input statistics of the experts and the gate.
    public var normalization: InputNormalization?
    /// Version 2: what the gate sees of an input.
    public var gateInput: GateInput?
    /// Routing and auxiliary-loss settings.
    public var moe: MoEConfig
    /// The gate: hidden units, rows, parameter blob.
    public var gate: GateEntry
    /// Every expert in gate-row order.
    public var experts: [ExpertEntry]
    /// Every domain in order of appearance.
    public var domains: [DomainEntry]
    /// Version 4: the number of phases the model went through.
    public var phaseCount: Int?
    /// Versions 1 to 3: every phase's report (read only for its count).
    public var phases: [PhaseReport]?
    /// Versions 1 to 3: the accuracy matrix (not read).
    public var accuracy: [[Double?]]?
    /// Expert numbers and domain names that a rollback retired; absent when none did.
    public var retired: RetiredIdentifiers?
    /// The features' names, in input order, when the model's first dataset was a CSV (its
    /// header without the label column); absent otherwise. A later CSV's columns are matched
    /// to them by name.
    public var features: [String]?

    /// The gate's shape and weights.
    public struct GateEntry: Sendable, Codable, Equatable {
        public var hidden: Int
        public var experts: Int
        public var blob: String
    }

    /// One expert's lineage, shape and weights.
    public struct ExpertEntry: Sendable, Codable, Equatable {
        public var id: Int
        public var parent: Int?
        public var domain: String?
        public var hidden: Int
        public var classes: [Int32]
        public var frozen: Bool
        public var checksum: String
        public var blob: String
        /// Version 2: the expert's input statistics.
        public var normalization: InputNormalization?
    }

    /// One domain's state; features live in blobs.
    public struct DomainEntry: Sendable, Codable, Equatable {
        public var name: String
        public var group: Int32
        public var experts: [Int]
        public var classes: [Int32]
        public var firstPhase: Int
        public var signatureBlob: String
        /// Version 3: the signature's per-feature mean (Float32 LE), kept apart so that a
        /// restore reads it without the signature.
        public var meanBlob: String?
        /// Version 3: the held-out rows.
        public var heldOut: RowChunks?
        /// Version 3: the replay reservoir's rows.
        public var replay: RowChunks?
        /// Versions 1 and 2: the held-out rows in one blob, and their count.
        public var testBlob: String?
        public var testCount: Int?
        /// Versions 1 and 2: the replay reservoir in one blob.
        public var replayBlob: String?
        public var replayCapacity: Int
        public var replaySeen: Int
        public var replayGenerator: SeededRNG
        /// The held-out rows a phase evaluates; absent before it was per domain, when every
        /// domain had the configuration's ``LifelongConfig/evaluationSamples``.
        public var evaluationSamples: Int?
    }
}

extension LearnerSnapshot {
    /// The document as stored: JSON with sorted keys, so the same state is the same blob.
    public func encodedDocument() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

/// A blob of a snapshot and what it holds.
public struct SnapshotBlob: Sendable, Equatable {
    /// What the bytes are: "weights", "gate", "signature", "split" or "replay".
    public var kind: String
    /// The bytes.
    public var data: Data
}

extension LifelongLearner {
    /// The learner's state as a snapshot document and the blobs a store must add to hold it:
    /// the domains' blobs made since ``markBlobsStored()`` (all of them for a learner that never
    /// marked any), the gate, and every expert's weights except, with `previous` (the last snapshot committed), those of frozen
    /// experts whose checksum did not change since. `labels` and `features` are the model's
    /// label registry and feature names (``LearnerSnapshot/features``).
    /// - Returns: nil before the first phase.
    public func snapshot(labels: LabelRegistry, features: [String]? = nil,
                         since previous: LearnerSnapshot? = nil) -> (LearnerSnapshot, [String: SnapshotBlob])? {
        guard let model else { return nil }
        var blobs = self.blobs.pending
        func put(_ kind: String, _ data: Data) -> String {
            let sha = Checksum.sha256(data)
            blobs[sha] = SnapshotBlob(kind: kind, data: data)
            return sha
        }
        let earlierExperts = Dictionary((previous?.experts ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // A frozen expert's weights never change (the model refuses new ones), so an entry
        // that was frozen already is this expert's entry: its weights are neither hashed nor
        // encoded again, which keeps a phase's snapshot from growing with the number of experts.
        let experts = model.experts.map { e in
            if let earlier = earlierExperts[e.id], earlier.frozen, e.isFrozen {
                return LearnerSnapshot.ExpertEntry(id: e.id, parent: e.parent, domain: e.domain, hidden: e.shape.hidden,
                                                   classes: e.classes, frozen: true, checksum: earlier.checksum,
                                                   blob: earlier.blob, normalization: e.normalization)
            }
            return LearnerSnapshot.ExpertEntry(id: e.id, parent: e.parent, domain: e.domain, hidden: e.shape.hidden,
                                               classes: e.classes, frozen: e.isFrozen, checksum: e.checksum,
                                               blob: put("weights", FloatCoding.data(e.parameters)),
                                               normalization: e.normalization)
        }
        let domainEntries = domains.map { d in
            LearnerSnapshot.DomainEntry(
                name: d.name, group: d.group, experts: d.experts, classes: d.classes.sorted(), firstPhase: d.firstPhase,
                signatureBlob: d.signature, meanBlob: d.meanBlob, heldOut: d.heldOut, replay: d.replay.rows,
                replayCapacity: d.replay.capacity, replaySeen: d.replay.seen, replayGenerator: d.replay.generator,
                evaluationSamples: d.evaluationSamples)
        }
        let gate = LearnerSnapshot.GateEntry(hidden: model.gate.hidden, experts: model.gate.experts,
                                             blob: put("gate", FloatCoding.data(model.gate.parameters)))
        let document = LearnerSnapshot(inputs: model.inputs, classCount: model.classCount, labels: labels,
                                       normalization: nil, gateInput: model.gateInput, moe: model.config, gate: gate,
                                       experts: experts, domains: domainEntries, phaseCount: phaseCount, retired: retired,
                                       features: features)
        return (document, blobs)
    }
}
