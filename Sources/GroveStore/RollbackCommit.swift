import Foundation

/// A rollback, committed at once by ``Store/commitRollback(_:)``: version ``target`` of
/// ``model`` becomes the one that predicts again, as a new version.
///
/// The new version (number = newest + 1) has ``target`` as its parent and no job; it has the
/// target's experts, gate and domain, a copy of the target's evaluations and replay rows, and
/// ``snapshot`` as its learner state. The versions in between keep every row: a version's
/// experts are those created on its line of parents, so theirs simply leave the line. The
/// next phase builds on the rollback. A `model.rollback` event records it.
public struct RollbackCommit: Sendable {
    /// The model.
    public var model: String
    /// The version whose state comes back.
    public var target: Int
    /// The newest version when the rollback was prepared: the commit fails with
    /// ``StoreError/headMoved(model:expected:found:)`` if another version was committed since.
    public var baseVersion: Int
    /// The learner's state document for the new version: the target's, with the model's
    /// labels and the identifiers the rollback retires.
    public var snapshot: Data

    /// Creates a rollback commit.
    public init(model: String, target: Int, baseVersion: Int, snapshot: Data) {
        self.model = model
        self.target = target
        self.baseVersion = baseVersion
        self.snapshot = snapshot
    }
}
