import Foundation
import GRDB

/// A row of `drift_events`: windows in a row that fit no mix of the known domains, and the
/// candidate dataset made of their rows.
public struct DriftEventRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "drift_events"

    /// The event id.
    public var id: Int64
    /// The model whose inputs drifted.
    public var modelID: Int64
    /// The model version serving when the drift was found.
    public var modelVersionID: Int64
    /// When the event was raised.
    public var detectedAt: Date
    /// The first window of the run.
    public var firstWindowID: Int64
    /// The window that raised the event.
    public var lastWindowID: Int64
    /// The MMD² of the last window.
    public var statistic: Double
    /// The p-value of the last window.
    public var pValue: Double
    /// The domain most of the run's rows were nearest to.
    public var nearestDomainID: Int64?
    /// The blob holding the candidate rows (float32 little-endian, ``featureCount`` a row).
    public var candidateSHA256: String
    /// Rows in the candidate dataset.
    public var candidateRows: Int
    /// Features per row.
    public var featureCount: Int

    enum CodingKeys: String, CodingKey {
        case id, statistic
        case modelID = "model_id"
        case modelVersionID = "model_version_id"
        case detectedAt = "detected_at"
        case firstWindowID = "first_window_id"
        case lastWindowID = "last_window_id"
        case pValue = "p_value"
        case nearestDomainID = "nearest_domain_id"
        case candidateSHA256 = "candidate_sha256"
        case candidateRows = "candidate_rows"
        case featureCount = "feature_count"
    }
}
