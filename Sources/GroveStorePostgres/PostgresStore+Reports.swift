import Foundation
import GroveStore
import PostgresNIO

// MARK: - Lineage and evaluation queries

/// The lineage queries differ from SQLite's in one way: each step of the recursion reads its
/// parent or children through a `LATERAL` subquery that `OFFSET 0` keeps from being flattened.
/// PostgreSQL plans a recursive step for the ten rows it assumes a work table holds, so once
/// `experts` is analysed it joins every step by hashing a sequential scan of the whole table;
/// the subquery makes each step an index lookup (ancestors of a 117-deep lineage among 1 000
/// experts: 47 ms on the server before, 1.6 ms after).
extension PostgresStore {
    public func ancestors(ofExpert id: Int64) async throws -> [ExpertRecord] {
        try await read { connection in
            try await self.requireExpert(connection, id: id)
            return try await connection.records(ExpertRecord.self, """
                WITH RECURSIVE lineage(id, depth) AS (
                    SELECT parent_id, 1 FROM experts WHERE id = \(id) AND parent_id IS NOT NULL
                    UNION ALL
                    SELECT p.parent_id, l.depth + 1 FROM lineage l
                    CROSS JOIN LATERAL (SELECT parent_id FROM experts WHERE id = l.id OFFSET 0) p
                    WHERE p.parent_id IS NOT NULL
                )
                SELECT e.* FROM lineage l JOIN experts e ON e.id = l.id ORDER BY l.depth
                """, logger: self.logger)
        }
    }

    public func descendants(ofExpert id: Int64) async throws -> [ExpertRecord] {
        try await read { connection in
            try await self.requireExpert(connection, id: id)
            return try await connection.records(ExpertRecord.self, """
                WITH RECURSIVE tree(id, depth) AS (
                    SELECT id, 1 FROM experts WHERE parent_id = \(id)
                    UNION ALL
                    SELECT c.id, t.depth + 1 FROM tree t
                    CROSS JOIN LATERAL (SELECT id FROM experts WHERE parent_id = t.id OFFSET 0) c
                )
                SELECT e.* FROM tree t JOIN experts e ON e.id = t.id ORDER BY t.depth, e.id
                """, logger: self.logger)
        }
    }

    public func evaluationHistory(model: String, domain: String, metric: EvaluationMetric) async throws -> [EvaluationPoint] {
        try await read { connection in
            guard let domainID = try await connection.scalar(Int64.self, """
                SELECT d.id FROM domains d JOIN models m ON m.id = d.model_id WHERE m.name = \(model) AND d.name = \(domain)
                """, logger: self.logger)
            else { throw StoreError.unknownDomain(model: model, name: domain) }
            var points: [EvaluationPoint] = []
            let rows = try await connection.query("""
                SELECT v.number, e.value, e.sample_count FROM evaluations e
                JOIN model_versions v ON v.id = e.model_version_id
                WHERE e.metric = \(metric.rawValue) AND e.domain_id = \(domainID) AND e.expert_id IS NULL
                ORDER BY v.number
                """, logger: self.logger)
            for try await (version, value, samples) in rows.decode((Int, Double, Int).self) {
                points.append(EvaluationPoint(version: version, value: value, sampleCount: samples))
            }
            return points
        }
    }

    public func evaluations(model: String, version: Int) async throws -> [EvaluationRecord] {
        try await read { connection in
            try await connection.records(EvaluationRecord.self, """
                SELECT e.* FROM evaluations e
                JOIN model_versions v ON v.id = e.model_version_id
                JOIN models m ON m.id = v.model_id
                WHERE m.name = \(model) AND v.number = \(version)
                ORDER BY e.domain_id, e.metric, coalesce(e.expert_id, 0)
                """, logger: self.logger)
        }
    }

    public func accuracyMatrix(model: String, metric: EvaluationMetric) async throws -> AccuracyMatrix {
        try await read { connection in
            guard let modelID = try await connection.scalar(Int64.self, "SELECT id FROM models WHERE name = \(model)", logger: self.logger) else {
                throw StoreError.modelNotFound(name: model)
            }
            var domainNames: [String] = []
            var column: [Int64: Int] = [:]
            for try await (id, name) in try await connection.query(
                "SELECT id, name FROM domains WHERE model_id = \(modelID) ORDER BY id", logger: self.logger
            ).decode((Int64, String).self) {
                column[id] = domainNames.count
                domainNames.append(name)
            }
            var versionNumbers: [Int] = []
            var rowOf: [Int64: Int] = [:]
            for try await (id, number) in try await connection.query(
                "SELECT id, number FROM model_versions WHERE model_id = \(modelID) ORDER BY number", logger: self.logger
            ).decode((Int64, Int).self) {
                rowOf[id] = versionNumbers.count
                versionNumbers.append(number)
            }
            var values = Array(repeating: [Double?](repeating: nil, count: domainNames.count), count: versionNumbers.count)
            // One row per version with its cells as arrays: decoding a row costs far more than
            // decoding an array element (7 875 cells at 125 versions).
            let rows = try await connection.query("""
                SELECT e.model_version_id, array_agg(e.domain_id), array_agg(e.value) FROM evaluations e
                JOIN domains d ON d.id = e.domain_id
                WHERE e.metric = \(metric.rawValue) AND d.model_id = \(modelID) AND e.expert_id IS NULL
                GROUP BY e.model_version_id
                """, logger: self.logger)
            for try await (versionID, domainIDs, cells) in rows.decode((Int64, [Int64], [Double]).self) {
                guard let row = rowOf[versionID] else { continue }
                for (domainID, value) in zip(domainIDs, cells) {
                    if let col = column[domainID] { values[row][col] = value }
                }
            }
            return AccuracyMatrix(metric: metric, versions: versionNumbers, domains: domainNames, values: values)
        }
    }

    private func requireExpert(_ connection: PostgresConnection, id: Int64) async throws {
        guard try await connection.scalar(Int64.self, "SELECT id FROM experts WHERE id = \(id)", logger: logger) != nil else {
            throw StoreError.unknownExpert(id: id)
        }
    }
}
