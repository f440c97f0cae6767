import Foundation
import GroveNumerics

/// The blobs behind a learner's domains: those made since the last commit are held here until
/// the store has them (``markStored()``); every other one is read from the ``SampleArchive``.
public struct LearnerBlobs: Sendable {
    /// Where stored blobs are read; nil keeps every blob in memory.
    public var archive: (any SampleArchive)?
    private var resident: [String: SnapshotBlob] = [:]
    private var unstored: [String] = []

    /// No blobs yet; stored ones are read from `archive`.
    public init(archive: (any SampleArchive)? = nil) {
        self.archive = archive
    }

    /// Keeps `data` and returns its SHA-256, its name.
    mutating func put(_ kind: String, _ data: Data) -> String {
        put(kind, data, sha256: Checksum.sha256(data))
    }

    /// Keeps `data`, whose SHA-256 the caller computed, and returns that name.
    @discardableResult
    mutating func put(_ kind: String, _ data: Data, sha256 sha: String) -> String {
        if resident[sha] == nil {
            resident[sha] = SnapshotBlob(kind: kind, data: data)
            unstored.append(sha)
        }
        return sha
    }

    /// The bytes named `sha`, from memory or the archive.
    /// - Throws: ``SnapshotError/malformedBlob(sha256:what:)`` when neither has it, or what the
    ///   archive throws.
    func data(_ sha: String, what: String) throws -> Data {
        if let blob = resident[sha] { return blob.data }
        guard let archive else { throw SnapshotError.malformedBlob(sha256: sha, what: "\(what): missing") }
        return try archive.data(sha256: sha)
    }

    /// The blobs made since the last ``markStored()``, which a commit must store.
    public var pending: [String: SnapshotBlob] {
        var out: [String: SnapshotBlob] = [:]
        for sha in unstored { out[sha] = resident[sha] }
        return out
    }

    /// Records that the store holds every pending blob: with an archive they are dropped from
    /// memory and read from it from now on.
    public mutating func markStored() {
        unstored = []
        if archive != nil { resident = [:] }
    }
}
