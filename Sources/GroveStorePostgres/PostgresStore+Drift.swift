import Foundation
import GroveStore
import PostgresNIO

// MARK: - Drift windows and events

extension PostgresStore {
    public func recordDriftWindow(_ window: DriftWindow) async throws -> DriftWindowRecord {
        try StoreRules.validate(window)
        return try await transaction { connection in
            let (modelID, versionID) = try await self.modelVersion(connection, model: window.model, number: window.version)
            let nearest = try await window.nearestDomain.asyncMap {
                try await self.domainID(connection, modelID: modelID, model: window.model, name: $0)
            }
            guard let record = try await connection.record(DriftWindowRecord.self, """
                INSERT INTO drift_windows (model_id, model_version_id, tested_at, row_count, statistic, p_value, fits,
                                           nearest_domain_id, median_novelty)
                VALUES (\(modelID), \(versionID), \(window.testedAt), \(window.rowCount), \(window.statistic), \(window.pValue),
                        \(window.fits), \(nearest), \(window.medianNovelty))
                RETURNING *
                """, logger: self.logger)
            else { throw StoreError.server(sqlState: "XX000", message: "an INSERT returned no row") }
            return record
        }
    }

    public func recordDriftEvent(_ event: DriftEvent) async throws -> DriftEventRecord {
        try StoreRules.validate(event)
        let sha256 = SHA256Hex.digest(event.candidate)
        let stored = BlobCodec.encode(event.candidate, kind: .other)
        return try await transaction { connection in
            let (modelID, versionID) = try await self.modelVersion(connection, model: event.model, number: event.version)
            let owned = try await connection.scalar(Int.self, """
                SELECT count(*)::bigint FROM drift_windows
                WHERE model_id = \(modelID) AND id IN (\(event.windows.lowerBound), \(event.windows.upperBound))
                """, logger: self.logger) ?? 0
            guard owned == (event.windows.count == 1 ? 1 : 2) else {
                throw StoreError.invalidArgument("drift windows \(event.windows.lowerBound)…\(event.windows.upperBound) are not windows of model '\(event.model)'")
            }
            let nearest = try await event.nearestDomain.asyncMap {
                try await self.domainID(connection, modelID: modelID, model: event.model, name: $0)
            }
            try await self.insertBlob(connection, sha256: sha256, stored: stored, kind: .other, at: event.detectedAt)
            guard let record = try await connection.record(DriftEventRecord.self, """
                INSERT INTO drift_events (model_id, model_version_id, detected_at, first_window_id, last_window_id, statistic,
                                          p_value, nearest_domain_id, candidate_sha256, candidate_rows, feature_count)
                VALUES (\(modelID), \(versionID), \(event.detectedAt), \(event.windows.lowerBound), \(event.windows.upperBound),
                        \(event.statistic), \(event.pValue), \(nearest), \(sha256), \(event.candidateRows), \(event.featureCount))
                RETURNING *
                """, logger: self.logger)
            else { throw StoreError.server(sqlState: "XX000", message: "an INSERT returned no row") }
            return record
        }
    }

    public func extendDriftCandidate(model: String, event id: Int64, candidate: Data, rows: Int) async throws -> DriftEventRecord {
        let sha256 = SHA256Hex.digest(candidate)
        let stored = BlobCodec.encode(candidate, kind: .other)
        return try await transaction { connection in
            let modelID = try await self.modelID(connection, name: model)
            guard let record = try await connection.record(DriftEventRecord.self, """
                SELECT * FROM drift_events WHERE id = \(id) AND model_id = \(modelID) FOR UPDATE
                """, logger: self.logger)
            else { throw StoreError.invalidArgument("model '\(model)' has no drift event \(id)") }
            try StoreRules.validateExtension(of: record, candidate: candidate, rows: rows)
            try await self.insertBlob(connection, sha256: sha256, stored: stored, kind: .other, at: Date())
            guard let updated = try await connection.record(DriftEventRecord.self, """
                UPDATE drift_events SET candidate_sha256 = \(sha256), candidate_rows = \(rows) WHERE id = \(id) RETURNING *
                """, logger: self.logger)
            else { throw StoreError.server(sqlState: "XX000", message: "an UPDATE returned no row") }
            let replaced = record.candidateSHA256
            try await connection.execute("""
                DELETE FROM blobs WHERE sha256 = \(replaced) AND kind = 'other'
                AND NOT EXISTS (SELECT 1 FROM drift_events WHERE candidate_sha256 = \(replaced))
                """, logger: self.logger)
            return updated
        }
    }

    public func driftWindows(model: String, before beforeID: Int64?, limit: Int) async throws -> [DriftWindowRecord] {
        try await read { connection in
            let modelID = try await self.modelID(connection, name: model)
            return try await connection.records(DriftWindowRecord.self, """
                SELECT * FROM drift_windows WHERE model_id = \(modelID) AND id < \(beforeID ?? Int64.max)
                ORDER BY id DESC LIMIT \(max(0, limit))
                """, logger: self.logger)
        }
    }

    public func driftEvents(model: String) async throws -> [DriftEventRecord] {
        try await read { connection in
            let modelID = try await self.modelID(connection, name: model)
            return try await connection.records(DriftEventRecord.self, "SELECT * FROM drift_events WHERE model_id = \(modelID) ORDER BY id",
                                                logger: self.logger)
        }
    }

    private func modelID(_ connection: PostgresConnection, name: String) async throws -> Int64 {
        guard let id = try await connection.scalar(Int64.self, "SELECT id FROM models WHERE name = \(name)", logger: logger) else {
            throw StoreError.modelNotFound(name: name)
        }
        return id
    }

    /// The ids of a model and of its version `number`.
    private func modelVersion(_ connection: PostgresConnection, model: String, number: Int) async throws -> (model: Int64, version: Int64) {
        let modelID = try await modelID(connection, name: model)
        guard let versionID = try await connection.scalar(Int64.self, """
            SELECT id FROM model_versions WHERE model_id = \(modelID) AND number = \(number)
            """, logger: logger)
        else { throw StoreError.invalidArgument(StoreRules.unknownVersionMessage(model: model, number: number)) }
        return (modelID, versionID)
    }

    private func domainID(_ connection: PostgresConnection, modelID: Int64, model: String, name: String) async throws -> Int64 {
        guard let id = try await connection.scalar(Int64.self, "SELECT id FROM domains WHERE model_id = \(modelID) AND name = \(name)",
                                                   logger: logger)
        else { throw StoreError.unknownDomain(model: model, name: name) }
        return id
    }
}
