import Foundation
import GroveStore
import PostgresNIO

// MARK: - Registry reads

extension PostgresStore {
    public func modelNames() async throws -> [String] {
        try await read { connection in
            var names: [String] = []
            let rows = try await connection.query("SELECT name FROM models UNION SELECT model FROM jobs ORDER BY 1", logger: self.logger)
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
    }

    public func model(named name: String) async throws -> ModelRecord? {
        try await read { connection in
            try await connection.record(ModelRecord.self, "SELECT * FROM models WHERE name = \(name)", logger: self.logger)
        }
    }

    public func domains(model: String) async throws -> [DomainRecord] {
        try await read { connection in
            try await connection.records(DomainRecord.self, """
                SELECT d.* FROM domains d JOIN models m ON m.id = d.model_id WHERE m.name = \(model) ORDER BY d.id
                """, logger: self.logger)
        }
    }

    public func datasets(model: String) async throws -> [DatasetRecord] {
        try await read { connection in
            try await connection.records(DatasetRecord.self, """
                SELECT s.* FROM datasets s JOIN models m ON m.id = s.model_id WHERE m.name = \(model) ORDER BY s.id
                """, logger: self.logger)
        }
    }

    public func latestModelVersion(model: String) async throws -> ModelVersionRecord? {
        try await read { connection in
            try await connection.record(ModelVersionRecord.self, """
                SELECT v.* FROM model_versions v JOIN models m ON m.id = v.model_id
                WHERE m.name = \(model) ORDER BY v.number DESC LIMIT 1
                """, logger: self.logger)
        }
    }

    public func modelVersions(model: String) async throws -> [ModelVersionRecord] {
        try await read { connection in
            try await connection.records(ModelVersionRecord.self, """
                SELECT v.* FROM model_versions v JOIN models m ON m.id = v.model_id
                WHERE m.name = \(model) ORDER BY v.number
                """, logger: self.logger)
        }
    }

    public func experts(model: String, version: Int?) async throws -> [ExpertRecord] {
        try await read { connection in
            // Experts are only ever added: a version holds those created on its line of parents.
            try await connection.records(ExpertRecord.self, """
                WITH RECURSIVE line(id) AS (
                    SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id
                    WHERE m.name = \(model)
                      AND v.number = coalesce(\(version), (SELECT max(number) FROM model_versions WHERE model_id = m.id))
                    UNION ALL
                    SELECT v.parent_id FROM model_versions v JOIN line ON v.id = line.id WHERE v.parent_id IS NOT NULL
                )
                SELECT e.* FROM experts e JOIN line ON line.id = e.created_version_id
                ORDER BY e.id
                """, logger: self.logger)
        }
    }

    public func gateVersion(id: Int64) async throws -> GateVersionRecord? {
        try await read { connection in
            try await connection.record(GateVersionRecord.self, "SELECT * FROM gate_versions WHERE id = \(id)", logger: self.logger)
        }
    }

    public func detection(jobID: Int64) async throws -> DetectionRecord? {
        try await read { connection in
            try await connection.record(DetectionRecord.self, "SELECT * FROM detections WHERE job_id = \(jobID)", logger: self.logger)
        }
    }

    public func detectionEvidence(detectionID: Int64) async throws -> [DetectionEvidenceRecord] {
        try await read { connection in
            try await connection.records(DetectionEvidenceRecord.self, """
                SELECT * FROM detection_evidence WHERE detection_id = \(detectionID) ORDER BY domain_id
                """, logger: self.logger)
        }
    }

    public func replayReservoirs(model: String) async throws -> [ReplayReservoirRecord] {
        try await read { connection in
            try await connection.records(ReplayReservoirRecord.self, """
                SELECT r.* FROM replay_reservoirs r
                JOIN domains d ON d.id = r.domain_id
                JOIN models m ON m.id = d.model_id
                WHERE m.name = \(model)
                  AND r.model_version_id = (
                      SELECT max(model_version_id) FROM replay_reservoirs WHERE domain_id = r.domain_id)
                ORDER BY d.id
                """, logger: self.logger)
        }
    }

    public func heldOutSplits(model: String) async throws -> [HeldOutSplitRecord] {
        try await read { connection in
            try await connection.records(HeldOutSplitRecord.self, """
                SELECT h.* FROM held_out_splits h
                JOIN datasets s ON s.id = h.dataset_id
                JOIN models m ON m.id = s.model_id
                WHERE m.name = \(model) ORDER BY h.dataset_id
                """, logger: self.logger)
        }
    }

    public func events(jobID: Int64?, limit: Int) async throws -> [EventRecord] {
        try await read { connection in
            try await connection.records(EventRecord.self, """
                SELECT * FROM events WHERE (\(jobID)::bigint IS NULL OR job_id = \(jobID))
                ORDER BY id DESC LIMIT \(max(0, limit))
                """, logger: self.logger)
        }
    }
}
