import GRDB

/// A row of `held_out_splits`: the test part of a dataset, kept to evaluate its domain.
public struct HeldOutSplitRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "held_out_splits"

    /// The dataset it was split from.
    public var datasetID: Int64
    /// The dataset's domain.
    public var domainID: Int64
    /// The blob with the samples.
    public var blobSHA256: String
    /// Samples in the blob.
    public var sampleCount: Int

    enum CodingKeys: String, CodingKey {
        case datasetID = "dataset_id"
        case domainID = "domain_id"
        case blobSHA256 = "blob_sha256"
        case sampleCount = "sample_count"
    }
}
