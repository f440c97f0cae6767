import GRDB

/// A row of `evaluations`: one metric of a model version on a domain's held-out data.
public struct EvaluationRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evaluations"

    /// The evaluation id.
    public var id: Int64
    /// The evaluated model version.
    public var modelVersionID: Int64
    /// The domain whose held-out data was used.
    public var domainID: Int64
    /// `accuracy`, `loss`, `routing_accuracy`, `load_share`, ...
    public var metric: EvaluationMetric
    /// The expert, for per-expert metrics such as `load_share`.
    public var expertID: Int64?
    /// The measured value; fractions lie in [0, 1].
    public var value: Double
    /// How many samples it was measured on.
    public var sampleCount: Int

    enum CodingKeys: String, CodingKey {
        case id, metric, value
        case modelVersionID = "model_version_id"
        case domainID = "domain_id"
        case expertID = "expert_id"
        case sampleCount = "sample_count"
    }
}

extension EvaluationRecord {
    /// Inserts `records` as new rows through one prepared statement. A phase writes about a
    /// thousand evaluations at 100 domains; encoding each through `PersistableRecord` and
    /// building its statement made up a fifth of a phase commit's CPU time.
    static func insertAll(_ records: [EvaluationRecord], _ db: Database) throws {
        let columns: [CodingKeys] = [.modelVersionID, .domainID, .metric, .expertID, .value, .sampleCount]
        let statement = try db.cachedStatement(sql: """
            INSERT INTO \(databaseTableName) (\(columns.map(\.stringValue).joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            """)
        for r in records {
            try statement.execute(arguments: [r.modelVersionID, r.domainID, r.metric.rawValue, r.expertID, r.value, r.sampleCount])
        }
    }
}
