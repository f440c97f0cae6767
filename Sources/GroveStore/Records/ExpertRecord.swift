import Foundation
import GRDB

/// A row of `experts`: one small network, its shape, weights and lineage.
public struct ExpertRecord: Sendable, Hashable, Decodable, FetchableRecord, TableRecord {
    public static let databaseTableName = "experts"

    /// The expert id.
    public var id: Int64
    /// The model it belongs to.
    public var modelID: Int64
    /// The domain it was grown for.
    public var domainID: Int64
    /// The expert it was initialised from, if any (its lineage parent).
    public var parentID: Int64?
    /// The job that created it.
    public var createdJobID: Int64?
    /// The model version that added it.
    public var createdVersionID: Int64
    /// The job that froze it, if frozen.
    public var frozenJobID: Int64?
    /// The model version it was frozen in, if frozen.
    public var frozenVersionID: Int64?
    /// Input dimension D.
    public var inputDimension: Int
    /// Hidden units H.
    public var hiddenDimension: Int
    /// Output logits C_e.
    public var outputDimension: Int
    /// The model's class numbers of its outputs, in order.
    public var classes: [Int]
    /// The blob with its weights.
    public var weightsSHA256: String
    /// The engine's checksum of its weights.
    public var checksum: String
    /// When it was committed.
    public var createdAt: Date

    /// Whether training may no longer change it.
    public var isFrozen: Bool { frozenVersionID != nil }

    enum CodingKeys: String, CodingKey {
        case id, classes, checksum
        case modelID = "model_id"
        case domainID = "domain_id"
        case parentID = "parent_id"
        case createdJobID = "created_job_id"
        case createdVersionID = "created_version_id"
        case frozenJobID = "frozen_job_id"
        case frozenVersionID = "frozen_version_id"
        case inputDimension = "input_dimension"
        case hiddenDimension = "hidden_dimension"
        case outputDimension = "output_dimension"
        case weightsSHA256 = "weights_sha256"
        case createdAt = "created_at"
    }
}
