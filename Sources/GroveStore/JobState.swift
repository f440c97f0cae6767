import GRDB

/// The life cycle of a job: `queued -> running -> succeeded | failed`, and `cancelled`.
///
/// A `running` job whose process died is put back to `queued` by
/// ``Store/requeueInterrupted(maxAttempts:)`` until it has used its attempts; a `failed` or
/// `cancelled` job goes back to `queued` by ``Store/retry(jobID:)`` or when its dataset is
/// submitted again.
public enum JobState: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Waiting to be claimed.
    case queued
    /// Claimed by a worker.
    case running
    /// Its phase was committed.
    case succeeded
    /// Gave up, with a message.
    case failed
    /// Withdrawn before it ended.
    case cancelled

    /// Whether the job has ended for good.
    public var isFinal: Bool {
        switch self {
        case .queued, .running: false
        case .succeeded, .failed, .cancelled: true
        }
    }
}
