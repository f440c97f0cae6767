import Foundation

/// Where a learner reads the stored blobs of its domains (signatures, replay and held-out
/// chunks) when it needs them, so that it keeps none of them in memory between phases.
///
/// The service reads them from its store; a learner without an archive keeps every blob in
/// memory (tests, one-off fits).
public protocol SampleArchive: Sendable {
    /// The bytes of the blob named `sha256`.
    /// - Throws: whatever the archive throws for a missing or corrupted blob.
    func data(sha256: String) throws -> Data
}
