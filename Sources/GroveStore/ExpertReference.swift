/// Names an expert inside a ``PhaseCommit``: one already stored, or one the commit adds.
public enum ExpertReference: Sendable, Hashable {
    /// An expert already in the store, by id.
    case stored(Int64)
    /// The expert at this index of ``PhaseCommit/experts``.
    case new(Int)
}
