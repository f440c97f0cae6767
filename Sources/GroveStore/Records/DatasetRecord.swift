import Foundation
import GRDB

/// A row of `datasets`: a dataset a phase learned from.
public struct DatasetRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "datasets"

    /// The dataset id.
    public var id: Int64
    /// The model that learned it.
    public var modelID: Int64
    /// The SHA-256 of the submitted file.
    public var sha256: String
    /// The job that learned it.
    public var jobID: Int64
    /// The domain it was assigned to.
    public var domainID: Int64
    /// The file format (`idx`, `csv`, `jsonl`, `npy`).
    public var format: String
    /// Samples in the file.
    public var sampleCount: Int
    /// Features per sample.
    public var featureCount: Int
    /// Distinct classes in the file.
    public var classCount: Int
    /// Samples used for training.
    public var trainCount: Int
    /// Samples held out for evaluation.
    public var testCount: Int
    /// The split seed, as the bit pattern of a `UInt64` (see ``splitSeed``).
    public var splitSeedBits: Int64
    /// The blob with this dataset's signature, if any.
    public var signatureSHA256: String?
    /// When the phase was committed.
    public var createdAt: Date

    /// The seed of the train/test split.
    public var splitSeed: UInt64 { UInt64(bitPattern: splitSeedBits) }

    enum CodingKeys: String, CodingKey {
        case id, sha256, format
        case modelID = "model_id"
        case jobID = "job_id"
        case domainID = "domain_id"
        case sampleCount = "sample_count"
        case featureCount = "feature_count"
        case classCount = "class_count"
        case trainCount = "train_count"
        case testCount = "test_count"
        case splitSeedBits = "split_seed"
        case signatureSHA256 = "signature_sha256"
        case createdAt = "created_at"
    }
}
