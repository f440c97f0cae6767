import Foundation
import GroveStore

/// A job as the API shows it (`GET /v1/jobs`, `GET /v1/jobs/{id}`).
///
/// Absent values are written as `null`, dates as ISO-8601.
public struct APIJob: Codable, Sendable, Equatable {
    /// The job id.
    public var id: Int64
    /// The model it trains.
    public var model: String
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    public var state: JobState
    /// How many times it has been claimed.
    public var attempts: Int
    /// Progress of the current attempt, in [0, 1].
    public var progress: Double
    /// The one-line reason of a failure, if any.
    public var error: String?
    /// The stored dataset spec it learns from.
    public var source: String
    /// The domain the submitter declared, if any.
    public var declaredDomain: String?
    /// When it was queued.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date

    /// The API form of a stored job.
    public init(_ record: JobRecord) {
        id = record.id
        model = record.model
        state = record.state
        attempts = record.attempts
        progress = record.progress
        error = record.error
        source = record.source
        declaredDomain = record.declaredDomain
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, model, state, attempts, progress, error, source
        case declaredDomain = "declared_domain"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(model, forKey: .model)
        try c.encode(state, forKey: .state)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(progress, forKey: .progress)
        try c.encode(error, forKey: .error)
        try c.encode(source, forKey: .source)
        try c.encode(declaredDomain, forKey: .declaredDomain)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// The body of `POST /v1/jobs`.
public struct APIJobSubmission: Codable, Sendable, Equatable {
    /// The model to train (created by its first job); `default` when absent.
    public var model: String?
    /// What to learn from.
    public var spec: DatasetSpec

    /// A submission of `spec` to `model`.
    public init(model: String? = nil, spec: DatasetSpec) {
        self.model = model
        self.spec = spec
    }
}

/// The answer to `POST /v1/jobs` (202): the job, and whether this submission created it.
public struct APIJobSubmitted: Codable, Sendable, Equatable {
    /// The new job, or the existing job of the same dataset and model.
    public var job: APIJob
    /// `false` when the same dataset had already been submitted.
    public var created: Bool
    /// `true` when that earlier job had failed or been cancelled and is queued again.
    public var requeued: Bool

    /// An answer.
    public init(job: APIJob, created: Bool, requeued: Bool = false) {
        self.job = job
        self.created = created
        self.requeued = requeued
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        job = try container.decode(APIJob.self, forKey: .job)
        created = try container.decode(Bool.self, forKey: .created)
        requeued = try container.decodeIfPresent(Bool.self, forKey: .requeued) ?? false
    }
}

/// The answer to `POST /v1/files` (201): where the upload is stored and its content hash.
public struct APIUpload: Codable, Sendable, Equatable {
    /// The stored path, for `spec.source.path`.
    public var path: String
    /// The SHA-256 of the bytes, lowercase hex.
    public var sha256: String

    /// An answer.
    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }
}
