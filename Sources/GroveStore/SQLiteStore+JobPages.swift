import GRDB

/// How many jobs of one model are in one state.
public struct JobCount: Sendable, Equatable {
    /// The model.
    public var model: String
    /// The state.
    public var state: JobState
    /// How many of the model's jobs are in it.
    public var count: Int

    /// A count.
    public init(model: String, state: JobState, count: Int) {
        self.model = model
        self.state = state
        self.count = count
    }
}

extension SQLiteStore {
    public func jobs(model: String?, states: Set<JobState>?, after: Int64, limit: Int) async throws -> [JobRecord] {
        try await read { db in
            var request = JobRecord.filter(Column("id") > after).order(Column("id")).limit(max(limit, 0))
            if let model {
                request = request.filter(Column("model") == model)
            }
            if let states {
                request = request.filter(states.map(\.rawValue).contains(Column("state")))
            }
            return try request.fetchAll(db)
        }
    }

    public func jobCounts() async throws -> [JobCount] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT model, state, count AS n FROM job_counts WHERE count > 0 ORDER BY model, state")
                .compactMap { row -> JobCount? in
                    let name: String = row["state"]
                    guard let state = JobState(rawValue: name) else { return nil }
                    return JobCount(model: row["model"], state: state, count: row["n"])
                }
        }
    }
}
