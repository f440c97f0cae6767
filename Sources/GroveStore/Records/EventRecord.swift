import Foundation
import GRDB

/// A row of `events`: one entry of the append-only audit log.
public struct EventRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "events"

    /// The event id, increasing with time.
    public var id: Int64
    /// When it happened.
    public var createdAt: Date
    /// What it records.
    public var kind: EventKind
    /// A one-line human-readable message.
    public var message: String
    /// The job it concerns, if any.
    public var jobID: Int64?
    /// The model version it concerns, if any.
    public var modelVersionID: Int64?

    enum CodingKeys: String, CodingKey {
        case id, kind, message
        case createdAt = "created_at"
        case jobID = "job_id"
        case modelVersionID = "model_version_id"
    }
}
