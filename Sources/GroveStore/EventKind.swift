import GRDB

/// What an audit-log entry (``EventRecord``) records. The raw values are what the `events`
/// table holds.
public enum EventKind: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// A job was queued (``Store/enqueue(_:)``).
    case jobQueued = "job.queued"
    /// A worker claimed a job for an attempt.
    case jobClaimed = "job.claimed"
    /// An interrupted job went back to the queue.
    case jobRequeued = "job.requeued"
    /// A failed or cancelled job was queued again.
    case jobRetried = "job.retried"
    /// A job ended with its phase committed.
    case jobSucceeded = "job.succeeded"
    /// A job gave up.
    case jobFailed = "job.failed"
    /// A job was withdrawn.
    case jobCancelled = "job.cancelled"
    /// A phase committed a model version: its domain, decision and growth.
    case phase
    /// An earlier version became the one that predicts again (``Store/commitRollback(_:)``).
    case rollback = "model.rollback"
    /// A phase's declared domain contradicted the detector's evidence.
    case contradiction

    /// The event of a job ending in `state`; nil for a state that is not an end.
    public init?(jobEndedAs state: JobState) {
        switch state {
        case .succeeded: self = .jobSucceeded
        case .failed: self = .jobFailed
        case .cancelled: self = .jobCancelled
        case .queued, .running: return nil
        }
    }
}
