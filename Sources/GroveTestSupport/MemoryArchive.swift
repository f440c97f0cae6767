import Foundation
import GroveLearning

/// A ``SampleArchive`` in memory: the blobs a store would hold, by SHA-256.
public struct MemoryArchive: SampleArchive {
    /// Why a read failed.
    public struct Missing: Error, Equatable {
        /// The name asked for.
        public var sha256: String
    }

    /// The stored bytes by name.
    public var blobs: [String: Data]

    /// An archive of a snapshot's blobs (empty by default).
    public init(_ blobs: [String: SnapshotBlob] = [:]) {
        self.blobs = blobs.mapValues(\.data)
    }

    /// Adds a snapshot's blobs (an existing name keeps its bytes).
    public mutating func add(_ more: [String: SnapshotBlob]) {
        blobs.merge(more.mapValues(\.data)) { kept, _ in kept }
    }

    public func data(sha256: String) throws -> Data {
        guard let data = blobs[sha256] else { throw Missing(sha256: sha256) }
        return data
    }
}
