import Foundation
import GRDB

// MARK: - Lineage and evaluation queries

extension SQLiteStore {
    /// The recursive query of an expert's ancestors, nearest first.
    private static let ancestorsSQL = """
    WITH RECURSIVE lineage(id, depth) AS (
        SELECT parent_id, 1 FROM experts WHERE id = ? AND parent_id IS NOT NULL
        UNION ALL
        SELECT e.parent_id, l.depth + 1 FROM experts e JOIN lineage l ON e.id = l.id
        WHERE e.parent_id IS NOT NULL
    )
    SELECT e.* FROM lineage l JOIN experts e ON e.id = l.id ORDER BY l.depth
    """

    /// The recursive query of an expert's descendants, breadth first.
    private static let descendantsSQL = """
    WITH RECURSIVE tree(id, depth) AS (
        SELECT id, 1 FROM experts WHERE parent_id = ?
        UNION ALL
        SELECT e.id, t.depth + 1 FROM experts e JOIN tree t ON e.parent_id = t.id
    )
    SELECT e.* FROM tree t JOIN experts e ON e.id = t.id ORDER BY t.depth, e.id
    """

    public func ancestors(ofExpert id: Int64) async throws -> [ExpertRecord] {
        try await read { db in
            try Self.requireExpert(db, id: id)
            return try ExpertRecord.fetchAll(db, sql: Self.ancestorsSQL, arguments: [id])
        }
    }

    public func descendants(ofExpert id: Int64) async throws -> [ExpertRecord] {
        try await read { db in
            try Self.requireExpert(db, id: id)
            return try ExpertRecord.fetchAll(db, sql: Self.descendantsSQL, arguments: [id])
        }
    }

    public func evaluationHistory(model: String, domain: String, metric: EvaluationMetric) async throws -> [EvaluationPoint] {
        try await read { db in
            let domainID = try Self.domainID(db, model: model, domain: domain)
            let rows = try Row.fetchAll(db, sql: """
                SELECT v.number, e.value, e.sample_count FROM evaluations e
                JOIN model_versions v ON v.id = e.model_version_id
                WHERE e.metric = ? AND e.domain_id = ? AND e.expert_id IS NULL
                ORDER BY v.number
                """, arguments: [metric, domainID])
            return rows.map { EvaluationPoint(version: $0[0], value: $0[1], sampleCount: $0[2]) }
        }
    }

    public func evaluations(model: String, version: Int) async throws -> [EvaluationRecord] {
        try await read { db in
            try EvaluationRecord.fetchAll(db, sql: """
                SELECT e.* FROM evaluations e
                JOIN model_versions v ON v.id = e.model_version_id
                JOIN models m ON m.id = v.model_id
                WHERE m.name = ? AND v.number = ?
                ORDER BY e.domain_id, e.metric, coalesce(e.expert_id, 0)
                """, arguments: [model, version])
        }
    }

    public func accuracyMatrix(model: String, metric: EvaluationMetric) async throws -> AccuracyMatrix {
        try await read { db in
            guard let modelID = try Int64.fetchOne(db, sql: "SELECT id FROM models WHERE name = ?", arguments: [model]) else {
                throw StoreError.modelNotFound(name: model)
            }
            let domains = try Row.fetchAll(db, sql: "SELECT id, name FROM domains WHERE model_id = ? ORDER BY id", arguments: [modelID])
            let versions = try Row.fetchAll(db, sql: "SELECT id, number FROM model_versions WHERE model_id = ? ORDER BY number", arguments: [modelID])
            var column: [Int64: Int] = [:]
            for (index, row) in domains.enumerated() { column[row[0]] = index }
            var rowOf: [Int64: Int] = [:]
            for (index, row) in versions.enumerated() { rowOf[row[0]] = index }
            var values = Array(repeating: [Double?](repeating: nil, count: domains.count), count: versions.count)
            let cells = try Row.fetchCursor(db, sql: """
                SELECT e.model_version_id, e.domain_id, e.value FROM evaluations e
                JOIN domains d ON d.id = e.domain_id
                WHERE e.metric = ? AND d.model_id = ? AND e.expert_id IS NULL
                """, arguments: [metric, modelID])
            while let cell = try cells.next() {
                if let row = rowOf[cell[0]], let col = column[cell[1]] {
                    values[row][col] = cell[2]
                }
            }
            return AccuracyMatrix(
                metric: metric, versions: versions.map { $0[1] }, domains: domains.map { $0[1] }, values: values)
        }
    }

    // MARK: - Helpers

    private static func requireExpert(_ db: Database, id: Int64) throws {
        guard try ExpertRecord.exists(db, key: id) else {
            throw StoreError.unknownExpert(id: id)
        }
    }

    private static func domainID(_ db: Database, model: String, domain: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: """
            SELECT d.id FROM domains d JOIN models m ON m.id = d.model_id WHERE m.name = ? AND d.name = ?
            """, arguments: [model, domain])
        else { throw StoreError.unknownDomain(model: model, name: domain) }
        return id
    }
}
