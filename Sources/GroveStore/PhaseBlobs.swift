import Foundation

/// The blobs of a ``PhaseCommit``, hashed before the write transaction starts.
struct PhaseBlobs: Sendable {
    struct Blob: Sendable {
        var sha256: String
        var data: Data
        var kind: BlobKind

        init(_ data: Data, kind: BlobKind) {
            self.sha256 = SHA256Hex.digest(data)
            self.data = data
            self.kind = kind
        }
    }

    var domainSignature: Blob?
    var datasetSignature: Blob?
    var heldOut: Blob
    var gate: Blob
    var weights: [Blob]
    var replay: [Blob]
    var snapshot: Blob?
    var snapshotParts: [Blob]

    init(_ commit: PhaseCommit) {
        domainSignature = commit.domain.signature.map { Blob($0, kind: .signature) }
        datasetSignature = commit.dataset.signature.map { Blob($0, kind: .signature) }
        heldOut = Blob(commit.dataset.heldOut, kind: .split)
        gate = Blob(commit.gate.parameters, kind: .gate)
        weights = commit.experts.map { Blob($0.weights, kind: .weights) }
        replay = commit.replay.map { Blob($0.samples, kind: .replay) }
        snapshot = commit.snapshot.map { Blob($0.document, kind: .other) }
        snapshotParts = commit.snapshot?.blobs.map { Blob($0.data, kind: $0.kind) } ?? []
    }

    /// Every blob, each once.
    var all: [Blob] {
        var seen = Set<String>()
        let candidates = [domainSignature, datasetSignature, heldOut, gate, snapshot].compactMap { $0 } + weights + replay + snapshotParts
        return candidates.filter { seen.insert($0.sha256).inserted }
    }
}
