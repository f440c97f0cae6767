import Foundation
import GRDB

// MARK: - Registry reads

extension SQLiteStore {
    public func modelNames() async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT name FROM models UNION SELECT model FROM jobs ORDER BY 1")
        }
    }

    public func model(named name: String) async throws -> ModelRecord? {
        try await read { db in try ModelRecord.filter(Column("name") == name).fetchOne(db) }
    }

    public func domains(model: String) async throws -> [DomainRecord] {
        try await read { db in
            try DomainRecord.fetchAll(db, sql: """
                SELECT d.* FROM domains d JOIN models m ON m.id = d.model_id
                WHERE m.name = ? ORDER BY d.id
                """, arguments: [model])
        }
    }

    public func datasets(model: String) async throws -> [DatasetRecord] {
        try await read { db in
            try DatasetRecord.fetchAll(db, sql: """
                SELECT s.* FROM datasets s JOIN models m ON m.id = s.model_id
                WHERE m.name = ? ORDER BY s.id
                """, arguments: [model])
        }
    }

    public func latestModelVersion(model: String) async throws -> ModelVersionRecord? {
        try await read { db in
            try ModelVersionRecord.fetchOne(db, sql: """
                SELECT v.* FROM model_versions v JOIN models m ON m.id = v.model_id
                WHERE m.name = ? ORDER BY v.number DESC LIMIT 1
                """, arguments: [model])
        }
    }

    public func modelVersions(model: String) async throws -> [ModelVersionRecord] {
        try await read { db in
            try ModelVersionRecord.fetchAll(db, sql: """
                SELECT v.* FROM model_versions v JOIN models m ON m.id = v.model_id
                WHERE m.name = ? ORDER BY v.number
                """, arguments: [model])
        }
    }

    public func experts(model: String, version: Int?) async throws -> [ExpertRecord] {
        try await read { db in
            // Experts are only ever added: a version holds those created on its line of parents.
            let versionID = try Int64.fetchOne(db, sql: """
                SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id
                WHERE m.name = ? AND v.number = coalesce(?, (SELECT max(number) FROM model_versions WHERE model_id = m.id))
                """, arguments: [model, version])
            guard let versionID else { return [] }
            return try ExpertRecord.fetchAll(db, sql: """
                SELECT * FROM experts WHERE created_version_id IN (\(Self.lineSQL)) ORDER BY id
                """, arguments: [versionID])
        }
    }

    public func gateVersion(id: Int64) async throws -> GateVersionRecord? {
        try await read { db in try GateVersionRecord.fetchOne(db, key: id) }
    }

    public func detection(jobID: Int64) async throws -> DetectionRecord? {
        try await read { db in try DetectionRecord.filter(Column("job_id") == jobID).fetchOne(db) }
    }

    public func detectionEvidence(detectionID: Int64) async throws -> [DetectionEvidenceRecord] {
        try await read { db in
            try DetectionEvidenceRecord.filter(Column("detection_id") == detectionID).order(Column("domain_id")).fetchAll(db)
        }
    }

    public func replayReservoirs(model: String) async throws -> [ReplayReservoirRecord] {
        try await read { db in
            try ReplayReservoirRecord.fetchAll(db, sql: """
                SELECT r.* FROM replay_reservoirs r
                JOIN domains d ON d.id = r.domain_id
                JOIN models m ON m.id = d.model_id
                WHERE m.name = ?
                  AND r.model_version_id = (
                      SELECT max(model_version_id) FROM replay_reservoirs WHERE domain_id = r.domain_id)
                ORDER BY d.id
                """, arguments: [model])
        }
    }

    public func heldOutSplits(model: String) async throws -> [HeldOutSplitRecord] {
        try await read { db in
            try HeldOutSplitRecord.fetchAll(db, sql: """
                SELECT h.* FROM held_out_splits h
                JOIN datasets s ON s.id = h.dataset_id
                JOIN models m ON m.id = s.model_id
                WHERE m.name = ? ORDER BY h.dataset_id
                """, arguments: [model])
        }
    }

    public func events(jobID: Int64?, limit: Int) async throws -> [EventRecord] {
        try await read { db in
            var request = EventRecord.order(Column("id").desc).limit(max(0, limit))
            if let jobID {
                request = request.filter(Column("job_id") == jobID)
            }
            return try request.fetchAll(db)
        }
    }
}
