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
/// Version 2 keeps each expert's input statistics with the expert and the gate's input form
/// with the gate. Version 1 (stores written before) had one model-wide ``normalization`` for
/// the experts and the gate; restoring it gives every expert those statistics and the gate the
/// standardised form, which computes exactly what version 1 computed.
public struct LearnerSnapshot: Sendable, Codable, Equatable {
    /// The format version this code writes.
    public static let currentVersion = 2

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
    /// Every phase so far.
    public var phases: [PhaseReport]
    /// The accuracy matrix.
    public var accuracy: [[Double?]]

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
        public var testBlob: String
        public var testCount: Int
        public var replayBlob: String
        public var replayCapacity: Int
        public var replaySeen: Int
        public var replayGenerator: SeededRNG
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
    /// The learner's state as a snapshot document and the blobs it names (by SHA-256).
    ///
    /// With `previous`, the last snapshot committed, the blobs that did not change since are
    /// named again but not returned, as they are stored already: a frozen expert's weights with
    /// the same checksum, and a domain's signature, held-out split and replay when its held-out
    /// and replay counts are unchanged (both only grow when the domain gets data). The blobs of
    /// the domain named `fresh` are always returned. `previous` must be a snapshot of an earlier
    /// state of this same learner, whose blobs are all stored: the counts are the only witness.
    /// - Returns: nil before the first phase.
    public func snapshot(labels: LabelRegistry, since previous: LearnerSnapshot? = nil, fresh: String? = nil) -> (LearnerSnapshot, [String: SnapshotBlob])? {
        guard let model else { return nil }
        var blobs: [String: SnapshotBlob] = [:]
        func put(_ kind: String, _ data: Data) -> String {
            let sha = Checksum.sha256(data)
            blobs[sha] = SnapshotBlob(kind: kind, data: data)
            return sha
        }
        let earlierExperts = Dictionary((previous?.experts ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let experts = model.experts.map { e in
            let earlier = earlierExperts[e.id].flatMap { $0.frozen && e.isFrozen && $0.checksum == e.checksum ? $0.blob : nil }
            return LearnerSnapshot.ExpertEntry(id: e.id, parent: e.parent, domain: e.domain, hidden: e.shape.hidden,
                                               classes: e.classes, frozen: e.isFrozen, checksum: e.checksum,
                                               blob: earlier ?? put("weights", FloatCoding.data(e.parameters)),
                                               normalization: e.normalization)
        }
        let earlierDomains = Dictionary((previous?.domains ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let domainEntries = domains.map { d in
            let earlier = earlierDomains[d.name].flatMap { e in
                e.name != fresh && e.testCount == d.testY.count && e.replaySeen == d.replay.seen
                    && e.replayCapacity == d.replay.capacity ? e : nil
            }
            return LearnerSnapshot.DomainEntry(
                name: d.name, group: d.group, experts: d.experts, classes: d.classes.sorted(), firstPhase: d.firstPhase,
                signatureBlob: earlier?.signatureBlob ?? put("signature", d.signature.bytes),
                testBlob: earlier?.testBlob ?? put("split", LabelledRows.encode(features: d.testX.storage, labels: d.testY)),
                testCount: d.testY.count,
                replayBlob: earlier?.replayBlob
                    ?? put("replay", LabelledRows.encode(features: d.replay.features, labels: d.replay.labels)),
                replayCapacity: d.replay.capacity, replaySeen: d.replay.seen, replayGenerator: d.replay.generator)
        }
        let gate = LearnerSnapshot.GateEntry(hidden: model.gate.hidden, experts: model.gate.experts,
                                             blob: put("gate", FloatCoding.data(model.gate.parameters)))
        let document = LearnerSnapshot(inputs: model.inputs, classCount: model.classCount, labels: labels,
                                       normalization: nil, gateInput: model.gateInput, moe: model.config, gate: gate,
                                       experts: experts, domains: domainEntries, phases: phases, accuracy: accuracy)
        return (document, blobs)
    }
}

/// Rows of features with a label each, as bytes: `count` (UInt32 LE), then the labels (Int32 LE),
/// then the features (Float32 LE).
enum LabelledRows {
    static func encode(features: [Float], labels: [Int32]) -> Data {
        var out = Data()
        withUnsafeBytes(of: UInt32(labels.count).littleEndian) { out.append(contentsOf: $0) }
        out.reserveCapacity(4 + labels.count * 4 + features.count * 4)
        #if _endian(little)
        labels.withUnsafeBytes { out.append(contentsOf: $0) }
        #else
        for l in labels { withUnsafeBytes(of: l.littleEndian) { out.append(contentsOf: $0) } }
        #endif
        out.append(FloatCoding.data(features))
        return out
    }

    static func decode(_ data: Data, dimension: Int) -> (features: [Float], labels: [Int32])? {
        guard data.count >= 4 else { return nil }
        let count = Int(data.prefix(4).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
        let labelBytes = count * 4
        guard data.count == 4 + labelBytes + count * dimension * 4 else { return nil }
        let labels = data.dropFirst(4).prefix(labelBytes).withUnsafeBytes { raw in
            (0..<count).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
        }
        guard let features = FloatCoding.floats(data.dropFirst(4 + labelBytes)) else { return nil }
        return (features, labels)
    }
}
