import Foundation
import GroveNumerics

/// The rows one phase added to its domain, in the form the store's relational rows keep them.
public struct PhaseRows: Sendable {
    /// The dataset's held-out rows (``LabelledRows`` bytes).
    public var heldOut: Data
    /// Rows in ``heldOut``.
    public var heldOutCount: Int
    /// The domain's whole replay reservoir after the phase (``LabelledRows`` bytes).
    public var replay: Data
    /// Rows in ``replay``.
    public var replayCount: Int
    /// The domain's signature bytes when the phase created the domain, else nil.
    public var signature: Data?
}

extension LifelongLearner {
    /// The domain's detector signature, read from its blob.
    func signature(of domain: DomainState, dimension: Int) throws -> DomainSignature {
        let bytes = try blobs.data(domain.signature, what: "signature of \(domain.name)")
        guard let signature = DomainSignature(bytes: bytes), signature.dimension == dimension else {
            throw SnapshotError.malformedBlob(sha256: domain.signature, what: "signature of \(domain.name)")
        }
        return signature
    }

    /// The domain's replay reservoir, read from its chunks.
    func reservoir(of domain: DomainState, dimension: Int) throws -> ReplayReservoir {
        let kept = try blobs.rows(domain.replay.rows.chunks, dimension: dimension, what: "replay of \(domain.name)")
        return ReplayReservoir(capacity: domain.replay.capacity, dimension: dimension, features: kept.features,
                               labels: kept.labels, seen: domain.replay.seen, rng: domain.replay.generator)
    }

    /// Replaces the domain's reservoir by `reservoir`, chunk by chunk: a chunk whose rows did
    /// not change keeps its blob, which is not handed to the store again.
    mutating func keep(_ reservoir: ReplayReservoir, for index: Int) {
        var rows = RowChunks()
        blobs.append(features: reservoir.features, labels: reservoir.labels, dimension: reservoir.dimension, to: &rows,
                     kind: "replay", known: Set(domains[index].replay.rows.chunks.map(\.blob)))
        domains[index].replay = ReplayState(capacity: reservoir.capacity, seen: reservoir.seen,
                                            generator: reservoir.generator, rows: rows)
    }

    /// Appends held-out rows to the domain, shuffled with `seed` so that every prefix of the
    /// domain's held-out set stays a uniform sample of it.
    mutating func appendHeldOut(_ x: Matrix, labels: [Int32], to index: Int, seed: UInt64) {
        guard x.rows > 0 else { return }
        var rng = SeededRNG.derived(seed: seed, stream: 0x7E57)
        let order = SeededSubsample.permutation(count: x.rows, rng: &rng)
        var features = [Float]()
        features.reserveCapacity(x.rows * x.cols)
        for r in order { features.append(contentsOf: x.row(r)) }
        blobs.append(features: features, labels: order.map { labels[$0] }, dimension: x.cols,
                     to: &domains[index].heldOut, kind: "split")
    }
}
