import GRDB

/// A row of `replay_reservoirs`: samples of a domain kept to retrain the gate later.
public struct ReplayReservoirRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "replay_reservoirs"

    /// The reservoir id.
    public var id: Int64
    /// The model version this reservoir belongs to.
    public var modelVersionID: Int64
    /// The domain whose samples it holds.
    public var domainID: Int64
    /// The blob with the samples.
    public var blobSHA256: String
    /// Samples in the blob.
    public var sampleCount: Int

    enum CodingKeys: String, CodingKey {
        case id
        case modelVersionID = "model_version_id"
        case domainID = "domain_id"
        case blobSHA256 = "blob_sha256"
        case sampleCount = "sample_count"
    }
}
