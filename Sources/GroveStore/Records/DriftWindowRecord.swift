import Foundation
import GRDB

/// A row of `drift_windows`: one window of prediction inputs the watch tested.
public struct DriftWindowRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "drift_windows"

    /// The window id.
    public var id: Int64
    /// The model whose inputs these were.
    public var modelID: Int64
    /// The model version that answered them.
    public var modelVersionID: Int64
    /// When the window was tested.
    public var testedAt: Date
    /// Rows in the window.
    public var rowCount: Int
    /// The MMD² of the window against its reference.
    public var statistic: Double
    /// Its permutation p-value.
    public var pValue: Double
    /// Whether the window fits the known domains.
    public var fits: Bool
    /// The domain most of its rows were nearest to.
    public var nearestDomainID: Int64?
    /// The median novelty score of its rows.
    public var medianNovelty: Double

    enum CodingKeys: String, CodingKey {
        case id, statistic, fits
        case modelID = "model_id"
        case modelVersionID = "model_version_id"
        case testedAt = "tested_at"
        case rowCount = "row_count"
        case pValue = "p_value"
        case nearestDomainID = "nearest_domain_id"
        case medianNovelty = "median_novelty"
    }
}
