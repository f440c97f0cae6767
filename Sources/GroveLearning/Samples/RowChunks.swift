import Foundation
import GroveNumerics

/// Labelled rows kept between phases — a domain's held-out set or replay reservoir — as
/// chunks of at most ``rowsPerChunk(dimension:)`` rows, each a blob, so that a phase reads only the
/// chunks it needs.
public struct RowChunks: Sendable, Equatable, Codable {
    /// One blob of rows.
    public struct Chunk: Sendable, Equatable, Codable {
        /// The SHA-256 of the chunk's ``LabelledRows`` bytes.
        public var blob: String
        /// Rows in the chunk.
        public var rows: Int
    }

    /// Rows per chunk of `dimension` features written by this code: 256, fewer when that would
    /// make a chunk larger than 1 MiB, which a store keeps as it is for fast reads. (Stores
    /// written before chunks hold one chunk per set.)
    public static func rowsPerChunk(dimension: Int) -> Int {
        max(1, min(256, ((1 << 20) - 4) / (4 * max(1, dimension) + 4)))
    }

    /// The chunks in row order.
    public var chunks: [Chunk] = []

    /// Rows over every chunk.
    public var count: Int { chunks.reduce(0) { $0 + $1.rows } }

    /// No rows.
    public init() {}

    /// The given chunks.
    init(chunks: [Chunk]) {
        self.chunks = chunks
    }
}

extension LearnerBlobs {
    /// Appends `rows` rows of `features` (row-major, `dimension` wide) and `labels` as new chunks.
    /// A chunk named in `known` (a blob the learner already has, stored or pending) is not kept
    /// again: once stored blobs are dropped from memory, keeping it would hand it to the store anew.
    mutating func append(features: [Float], labels: [Int32], dimension: Int, to set: inout RowChunks, kind: String,
                         known: Set<String> = []) {
        var start = 0
        while start < labels.count {
            let end = min(labels.count, start + RowChunks.rowsPerChunk(dimension: dimension))
            let data = LabelledRows.encode(features: Array(features[(start * dimension)..<(end * dimension)]),
                                           labels: Array(labels[start..<end]))
            let sha = Checksum.sha256(data)
            if !known.contains(sha) { put(kind, data, sha256: sha) }
            set.chunks.append(.init(blob: sha, rows: end - start))
            start = end
        }
    }

    /// The rows of `chunks`, in order.
    /// - Throws: ``SnapshotError/malformedBlob(sha256:what:)`` for a chunk that is missing or
    ///   does not hold its rows, or what the archive throws.
    func rows(_ chunks: some Sequence<RowChunks.Chunk>, dimension: Int, what: String) throws -> (features: [Float], labels: [Int32]) {
        var features: [Float] = []
        var labels: [Int32] = []
        for chunk in chunks {
            guard let decoded = LabelledRows.decode(try data(chunk.blob, what: what), dimension: dimension),
                  decoded.labels.count == chunk.rows else {
                throw SnapshotError.malformedBlob(sha256: chunk.blob, what: what)
            }
            if labels.isEmpty {
                features = decoded.features
                labels = decoded.labels
            } else {
                features.append(contentsOf: decoded.features)
                labels.append(contentsOf: decoded.labels)
            }
        }
        return (features, labels)
    }

    /// The first `limit` rows of `set` (all when it has fewer), reading only the chunks they lie in.
    func prefix(_ limit: Int, of set: RowChunks, dimension: Int, what: String) throws -> (features: [Float], labels: [Int32]) {
        var needed: [RowChunks.Chunk] = []
        var rows = 0
        for chunk in set.chunks where rows < limit {
            needed.append(chunk)
            rows += chunk.rows
        }
        var out = try self.rows(needed, dimension: dimension, what: what)
        if out.labels.count > limit {
            out.labels.removeLast(out.labels.count - limit)
            out.features.removeLast(out.features.count - limit * dimension)
        }
        return out
    }
}
