import GRDB

/// A row of `detection_evidence`: the two-sample test of one phase's data against one known
/// domain.
public struct DetectionEvidenceRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "detection_evidence"

    /// The detection it belongs to.
    public var detectionID: Int64
    /// The domain tested.
    public var domainID: Int64
    /// MMD².
    public var statistic: Double
    /// The permutation p-value.
    public var pValue: Double

    enum CodingKeys: String, CodingKey {
        case statistic
        case detectionID = "detection_id"
        case domainID = "domain_id"
        case pValue = "p_value"
    }
}
