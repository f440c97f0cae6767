import Foundation
import GRDB

/// A row of `jobs`: one dataset submitted to one model, and where it is in the queue.
public struct JobRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "jobs"

    /// The job id.
    public var id: Int64
    /// The target model's name.
    public var model: String
    /// The SHA-256 of the submitted file; with ``model``, the job's identity.
    public var datasetSHA256: String
    /// Where the data comes from (a path or a manifest).
    public var source: String
    /// The labels file, for formats that keep labels apart.
    public var labelsSource: String?
    /// The declared format, or `nil` to detect it.
    public var format: String?
    /// The domain the submitter declared, if any.
    public var declaredDomain: String?
    /// Where the job is in its life cycle.
    public var state: JobState
    /// How many times the job has been claimed.
    public var attempts: Int
    /// Progress of the current attempt, in [0, 1].
    public var progress: Double
    /// A short note on the current step.
    public var progressNote: String?
    /// Why the job failed or was cancelled.
    public var error: String?
    /// When the job was queued.
    public var createdAt: Date
    /// When the row last changed.
    public var updatedAt: Date
    /// When the current (or last) attempt started.
    public var startedAt: Date?
    /// When the job ended.
    public var finishedAt: Date?
    /// The worker holding the running job's lease, if it was claimed with one.
    public var leaseOwner: String?
    /// When that lease runs out unless renewed.
    public var leaseExpiresAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, model, source, format, state, attempts, progress, error
        case datasetSHA256 = "dataset_sha256"
        case labelsSource = "labels_source"
        case declaredDomain = "declared_domain"
        case progressNote = "progress_note"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case leaseOwner = "lease_owner"
        case leaseExpiresAt = "lease_expires_at"
    }
}
