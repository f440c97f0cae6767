import Foundation
import GRDB

/// A row of `gate_versions`: a trained router.
public struct GateVersionRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "gate_versions"

    /// The gate version id.
    public var id: Int64
    /// The model it routes for.
    public var modelID: Int64
    /// The job that trained it.
    public var jobID: Int64?
    /// The blob with its parameters.
    public var blobSHA256: String
    /// Input dimension D.
    public var inputDimension: Int
    /// Hidden units; 0 for a linear gate.
    public var hiddenDimension: Int
    /// Experts it scores (its output rows).
    public var expertCount: Int
    /// Experts kept per input.
    public var topK: Int
    /// When it was committed.
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case modelID = "model_id"
        case jobID = "job_id"
        case blobSHA256 = "blob_sha256"
        case inputDimension = "input_dimension"
        case hiddenDimension = "hidden_dimension"
        case expertCount = "expert_count"
        case topK = "top_k"
        case createdAt = "created_at"
    }
}
