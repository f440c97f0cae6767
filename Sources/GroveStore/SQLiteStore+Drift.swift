import Foundation
import GRDB

// MARK: - Drift windows and events

extension SQLiteStore {
    public func recordDriftWindow(_ window: DriftWindow) async throws -> DriftWindowRecord {
        try StoreRules.validate(window)
        return try await write { db in
            let (modelID, versionID) = try Self.modelVersion(db, model: window.model, number: window.version)
            let nearest = try window.nearestDomain.map { try Self.domainID(db, modelID: modelID, model: window.model, name: $0) }
            var record = DriftWindowRecord(
                id: 0, modelID: modelID, modelVersionID: versionID, testedAt: window.testedAt, rowCount: window.rowCount,
                statistic: window.statistic, pValue: window.pValue, fits: window.fits, nearestDomainID: nearest,
                medianNovelty: window.medianNovelty)
            record.id = try record.insertNumbered(db)
            return record
        }
    }

    public func recordDriftEvent(_ event: DriftEvent) async throws -> DriftEventRecord {
        try StoreRules.validate(event)
        let sha256 = SHA256Hex.digest(event.candidate)
        return try await write { db in
            let (modelID, versionID) = try Self.modelVersion(db, model: event.model, number: event.version)
            let owned = try Int.fetchOne(db, sql: "SELECT count(*) FROM drift_windows WHERE model_id = ? AND id IN (?, ?)",
                                         arguments: [modelID, event.windows.lowerBound, event.windows.upperBound]) ?? 0
            guard owned == (event.windows.count == 1 ? 1 : 2) else {
                throw StoreError.invalidArgument("drift windows \(event.windows.lowerBound)…\(event.windows.upperBound) are not windows of model '\(event.model)'")
            }
            let nearest = try event.nearestDomain.map { try Self.domainID(db, modelID: modelID, model: event.model, name: $0) }
            try BlobRecord.insert(db, sha256: sha256, data: event.candidate, kind: .other, at: event.detectedAt)
            var record = DriftEventRecord(
                id: 0, modelID: modelID, modelVersionID: versionID, detectedAt: event.detectedAt,
                firstWindowID: event.windows.lowerBound, lastWindowID: event.windows.upperBound, statistic: event.statistic,
                pValue: event.pValue, nearestDomainID: nearest, candidateSHA256: sha256, candidateRows: event.candidateRows,
                featureCount: event.featureCount)
            record.id = try record.insertNumbered(db)
            return record
        }
    }

    public func extendDriftCandidate(model: String, event id: Int64, candidate: Data, rows: Int) async throws -> DriftEventRecord {
        let sha256 = SHA256Hex.digest(candidate)
        return try await write { db in
            let modelID = try Self.modelID(db, name: model)
            guard var record = try DriftEventRecord.filter(Column("id") == id && Column("model_id") == modelID).fetchOne(db) else {
                throw StoreError.invalidArgument("model '\(model)' has no drift event \(id)")
            }
            try StoreRules.validateExtension(of: record, candidate: candidate, rows: rows)
            let replaced = record.candidateSHA256
            try BlobRecord.insert(db, sha256: sha256, data: candidate, kind: .other, at: Date())
            record.candidateSHA256 = sha256
            record.candidateRows = rows
            try record.update(db)
            try db.execute(sql: """
                DELETE FROM blobs WHERE sha256 = ? AND kind = 'other'
                AND NOT EXISTS (SELECT 1 FROM drift_events WHERE candidate_sha256 = ?)
                """, arguments: [replaced, replaced])
            return record
        }
    }

    public func driftWindows(model: String, before beforeID: Int64?, limit: Int) async throws -> [DriftWindowRecord] {
        try await read { db in
            let modelID = try Self.modelID(db, name: model)
            return try DriftWindowRecord
                .filter(Column("model_id") == modelID && Column("id") < (beforeID ?? Int64.max))
                .order(Column("id").desc).limit(max(0, limit)).fetchAll(db)
        }
    }

    public func driftEvents(model: String) async throws -> [DriftEventRecord] {
        try await read { db in
            let modelID = try Self.modelID(db, name: model)
            return try DriftEventRecord.filter(Column("model_id") == modelID).order(Column("id")).fetchAll(db)
        }
    }

    private static func modelID(_ db: Database, name: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM models WHERE name = ?", arguments: [name]) else {
            throw StoreError.modelNotFound(name: name)
        }
        return id
    }

    /// The ids of a model and of its version `number`.
    private static func modelVersion(_ db: Database, model: String, number: Int) throws -> (model: Int64, version: Int64) {
        let modelID = try modelID(db, name: model)
        guard let versionID = try Int64.fetchOne(db, sql: "SELECT id FROM model_versions WHERE model_id = ? AND number = ?",
                                                 arguments: [modelID, number])
        else { throw StoreError.invalidArgument(StoreRules.unknownVersionMessage(model: model, number: number)) }
        return (modelID, versionID)
    }

    private static func domainID(_ db: Database, modelID: Int64, model: String, name: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM domains WHERE model_id = ? AND name = ?", arguments: [modelID, name]) else {
            throw StoreError.unknownDomain(model: model, name: name)
        }
        return id
    }
}
