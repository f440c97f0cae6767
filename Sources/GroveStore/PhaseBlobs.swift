import Foundation

/// The blobs of a ``PhaseCommit``, hashed before the write transaction starts.
package struct PhaseBlobs: Sendable {
    package struct Blob: Sendable {
        package var sha256: String
        package var data: Data
        package var kind: BlobKind
    }

    package var domainSignature: Blob?
    package var datasetSignature: Blob?
    package var heldOut: Blob
    package var gate: Blob
    package var weights: [Blob]
    package var replay: [Blob]
    package var snapshot: Blob?
    package var snapshotParts: [Blob]

    package init(_ commit: PhaseCommit) {
        var digests = DigestMemo()
        func blob(_ data: Data, _ kind: BlobKind) -> Blob { Blob(sha256: digests.sha256(data), data: data, kind: kind) }
        // The snapshot's parts first: the relational rows usually hand over the very same bytes.
        snapshotParts = commit.snapshot?.blobs.map { blob($0.data, $0.kind) } ?? []
        snapshot = commit.snapshot.map { blob($0.document, .other) }
        domainSignature = commit.domain.signature.map { blob($0, .signature) }
        datasetSignature = commit.dataset.signature.map { blob($0, .signature) }
        heldOut = blob(commit.dataset.heldOut, .split)
        gate = blob(commit.gate.parameters, .gate)
        weights = commit.experts.map { blob($0.weights, .weights) }
        replay = commit.replay.map { blob($0.samples, .replay) }
    }

    /// Every blob, each once.
    package var all: [Blob] {
        var seen = Set<String>()
        let candidates = [domainSignature, datasetSignature, heldOut, gate, snapshot].compactMap { $0 } + weights + replay + snapshotParts
        return candidates.filter { seen.insert($0.sha256).inserted }
    }
}

/// SHA-256 digests of `Data` values, each buffer hashed once: a value that shares its storage
/// with one already hashed (same address, same length) gets the same digest without rehashing.
/// The values stay alive in the commit while the memo is used, so an address cannot be reused.
/// Small values are always hashed: `Data` keeps them inline and lends out a temporary copy.
private struct DigestMemo {
    private struct Key: Hashable {
        let address: UInt
        let count: Int
    }
    private var digests: [Key: String] = [:]

    mutating func sha256(_ data: Data) -> String {
        let address = data.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        guard data.count >= 64, address != 0 else { return SHA256Hex.digest(data) }
        let key = Key(address: address, count: data.count)
        if let known = digests[key] { return known }
        let digest = SHA256Hex.digest(data)
        digests[key] = digest
        return digest
    }
}
