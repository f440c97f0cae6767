import Foundation
import GroveStore
import PostgresNIO

// MARK: - Rolling back

extension PostgresStore {
    public func commitRollback(_ rollback: RollbackCommit) async throws -> ModelVersionRecord {
        let snapshotSHA = SHA256Hex.digest(rollback.snapshot)
        let stored = BlobCodec.encode(rollback.snapshot, kind: .other)
        return try await transaction { connection in
            let now = Date()
            // Serialised with the model's phases, as their commits are.
            try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("grove.model." + rollback.model), 0))",
                                         logger: self.logger)
            guard let model = try await connection.record(ModelRecord.self, "SELECT * FROM models WHERE name = \(rollback.model)",
                                                          logger: self.logger) else {
                throw StoreError.modelNotFound(name: rollback.model)
            }
            let head = try await connection.scalar(Int.self, """
                SELECT coalesce(max(number), 0)::bigint FROM model_versions WHERE model_id = \(model.id)
                """, logger: self.logger) ?? 0
            let running = try await connection.scalar(Int64.self, """
                SELECT min(id) FROM jobs WHERE model = \(rollback.model) AND state = 'running'
                """, logger: self.logger)
            try StoreRules.checkRollback(rollback, head: head, runningJob: running)
            guard let target = try await connection.record(ModelVersionRecord.self, """
                SELECT * FROM model_versions WHERE model_id = \(model.id) AND number = \(rollback.target)
                """, logger: self.logger)
            else { throw StoreError.invalidArgument(StoreRules.unknownVersionMessage(model: rollback.model, number: rollback.target)) }

            try await self.insertBlob(connection, sha256: snapshotSHA, stored: stored, kind: .other, at: now)
            let evaluations = try await connection.scalar(Int.self, """
                SELECT count(*) FROM evaluations WHERE model_version_id = \(target.id)
                """, logger: self.logger) ?? 0
            let versionID = try await self.insertReturningID(connection, """
                INSERT INTO model_versions (model_id, number, parent_id, job_id, domain_id, gate_version_id, expert_count,
                                            evaluation_count, snapshot_sha256, created_at)
                VALUES (\(model.id), \(head + 1), \(target.id), NULL, \(target.domainID), \(target.gateVersionID),
                        \(target.expertCount), \(evaluations), \(snapshotSHA), \(now))
                RETURNING id
                """)
            try await connection.execute("""
                INSERT INTO evaluations (model_version_id, domain_id, metric, expert_id, value, sample_count)
                SELECT \(versionID), domain_id, metric, expert_id, value, sample_count FROM evaluations
                WHERE model_version_id = \(target.id)
                """, logger: self.logger)
            // The newest replay rows of each domain on the target's line, as of the target.
            try await connection.execute("""
                WITH RECURSIVE line(id) AS (
                    SELECT \(target.id)::bigint
                    UNION ALL
                    SELECT v.parent_id FROM model_versions v JOIN line ON v.id = line.id WHERE v.parent_id IS NOT NULL
                )
                INSERT INTO replay_reservoirs (model_version_id, domain_id, blob_sha256, sample_count)
                SELECT DISTINCT ON (r.domain_id) \(versionID), r.domain_id, r.blob_sha256, r.sample_count
                FROM replay_reservoirs r JOIN line ON line.id = r.model_version_id
                ORDER BY r.domain_id, r.model_version_id DESC
                """, logger: self.logger)
            try await connection.appendEvent(kind: .rollback,
                                             message: StoreRules.rollbackMessage(rollback, number: head + 1, experts: target.expertCount),
                                             jobID: nil, versionID: versionID, at: now, logger: self.logger)
            guard let version = try await connection.record(ModelVersionRecord.self, "SELECT * FROM model_versions WHERE id = \(versionID)",
                                                            logger: self.logger) else {
                throw StoreError.server(sqlState: "XX000", message: "model version \(versionID) vanished during its commit")
            }
            return version
        }
    }
}
