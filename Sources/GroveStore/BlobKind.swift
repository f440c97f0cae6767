import GRDB

/// What a content-addressed blob holds. Informational: the hash alone names a blob.
public enum BlobKind: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// An expert's parameters.
    case weights
    /// A gate's parameters.
    case gate
    /// A domain or dataset signature for the distribution detector.
    case signature
    /// A replay reservoir of a domain.
    case replay
    /// A held-out test split.
    case split
    /// Anything else.
    case other
}
