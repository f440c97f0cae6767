import Foundation
import GRDB

// MARK: - Rolling back

extension SQLiteStore {
    public func commitRollback(_ rollback: RollbackCommit) async throws -> ModelVersionRecord {
        let snapshotSHA = SHA256Hex.digest(rollback.snapshot)
        return try await write { db in
            let now = Date()
            guard let model = try ModelRecord.filter(Column("name") == rollback.model).fetchOne(db) else {
                throw StoreError.modelNotFound(name: rollback.model)
            }
            let head = try Int.fetchOne(db, sql: "SELECT coalesce(max(number), 0) FROM model_versions WHERE model_id = ?",
                                        arguments: [model.id]) ?? 0
            let running = try Int64.fetchOne(db, sql: "SELECT min(id) FROM jobs WHERE model = ? AND state = 'running'",
                                             arguments: [rollback.model])
            try StoreRules.checkRollback(rollback, head: head, runningJob: running)
            guard let target = try ModelVersionRecord
                .filter(Column("model_id") == model.id && Column("number") == rollback.target).fetchOne(db)
            else { throw StoreError.invalidArgument(StoreRules.unknownVersionMessage(model: rollback.model, number: rollback.target)) }

            try BlobRecord.insert(db, sha256: snapshotSHA, data: rollback.snapshot, kind: .other, at: now)
            let evaluations = try Int.fetchOne(db, sql: "SELECT count(*) FROM evaluations WHERE model_version_id = ?",
                                               arguments: [target.id]) ?? 0
            let versionID = try ModelVersionRecord(
                id: 0, modelID: model.id, number: head + 1, parentID: target.id, jobID: nil, domainID: target.domainID,
                gateVersionID: target.gateVersionID, expertCount: target.expertCount, evaluationCount: evaluations,
                snapshotSHA256: snapshotSHA, createdAt: now
            ).insertNumbered(db)
            try db.execute(sql: """
                INSERT INTO evaluations (model_version_id, domain_id, metric, expert_id, value, sample_count)
                SELECT ?, domain_id, metric, expert_id, value, sample_count FROM evaluations WHERE model_version_id = ?
                """, arguments: [versionID, target.id])
            // The target's replay rows are those of its own phase and of every version before
            // it on its line: the newest of each of its domains, as of the target.
            try db.execute(sql: """
                INSERT INTO replay_reservoirs (model_version_id, domain_id, blob_sha256, sample_count)
                SELECT ?, r.domain_id, r.blob_sha256, r.sample_count FROM replay_reservoirs r
                WHERE r.model_version_id = (
                    SELECT max(o.model_version_id) FROM replay_reservoirs o
                    WHERE o.domain_id = r.domain_id AND o.model_version_id IN (\(Self.lineSQL)))
                """, arguments: [versionID, target.id])
            try db.appendEvent(kind: .rollback, message: StoreRules.rollbackMessage(rollback, number: head + 1, experts: target.expertCount),
                               jobID: nil, versionID: versionID, at: now)
            guard let version = try ModelVersionRecord.fetchOne(db, key: versionID) else {
                throw StoreError.database(code: -1, message: "model version \(versionID) vanished during its commit")
            }
            return version
        }
    }

    /// The ids of a version and its line of parents, for `IN (…)`; binds one argument, the
    /// version's id.
    static let lineSQL = """
        WITH RECURSIVE line(id) AS (
            SELECT ?
            UNION ALL
            SELECT v.parent_id FROM model_versions v JOIN line ON v.id = line.id WHERE v.parent_id IS NOT NULL
        ) SELECT id FROM line
        """
}
