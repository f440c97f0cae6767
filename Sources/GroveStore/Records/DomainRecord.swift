import Foundation
import GRDB

/// A row of `domains`: a data distribution a model has learned.
public struct DomainRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "domains"

    /// The domain id.
    public var id: Int64
    /// The model it belongs to.
    public var modelID: Int64
    /// Its name, unique within the model.
    public var name: String
    /// The blob with its detector signature, if any.
    public var signatureSHA256: String?
    /// The job whose phase created it.
    public var createdJobID: Int64?
    /// When it was created.
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name
        case modelID = "model_id"
        case signatureSHA256 = "signature_sha256"
        case createdJobID = "created_job_id"
        case createdAt = "created_at"
    }
}
