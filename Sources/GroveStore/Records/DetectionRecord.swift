import Foundation
import GRDB

/// A row of `detections`: the distribution detector's evidence for one phase.
public struct DetectionRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "detections"

    /// The detection id.
    public var id: Int64
    /// The job it was made for.
    public var jobID: Int64
    /// The dataset it tested.
    public var datasetID: Int64
    /// The model version the phase produced.
    public var modelVersionID: Int64
    /// Whether the data was judged a new or a known domain.
    public var decision: DetectionDecision
    /// The domain the dataset was assigned to.
    public var domainID: Int64
    /// The closest known domain, if any domain was known.
    public var nearestDomainID: Int64?
    /// The test statistic (e.g. MMD squared) against the nearest domain.
    public var statistic: Double?
    /// The permutation p-value against the nearest domain.
    public var pValue: Double?
    /// The domain the submitter declared, if any.
    public var declaredDomain: String?
    /// Whether the evidence contradicts the declaration.
    public var contradictsDeclaration: Bool
    /// When the phase was committed.
    public var createdAt: Date
    /// The test's significance level; nil for detections stored before it was kept.
    public var significance: Double?

    enum CodingKeys: String, CodingKey {
        case id, decision, statistic
        case jobID = "job_id"
        case datasetID = "dataset_id"
        case modelVersionID = "model_version_id"
        case domainID = "domain_id"
        case nearestDomainID = "nearest_domain_id"
        case pValue = "p_value"
        case declaredDomain = "declared_domain"
        case contradictsDeclaration = "contradicts_declaration"
        case createdAt = "created_at"
        case significance
    }
}

/// The detector's verdict on a dataset.
public enum DetectionDecision: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// A distribution the model has not seen.
    case new
    /// More data of a known domain.
    case known
}
