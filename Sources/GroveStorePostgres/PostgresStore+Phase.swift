import Foundation
import GroveStore
import Logging
import PostgresNIO

// MARK: - Committing a phase

extension PostgresStore {
    public func commitPhase(_ commit: PhaseCommit) async throws -> CommittedPhase {
        try StoreRules.validate(commit)
        // Hash and encode outside the transaction: row locks are held only for SQL.
        let blobs = PhaseBlobs(commit)
        let encoded = blobs.all.map { blob in (blob: blob, stored: BlobCodec.encode(blob.data, kind: blob.kind)) }
        return try await transaction { connection in
            try await self.insertPhase(commit, blobs: blobs, encoded: encoded, connection)
        }
    }

    /// Writes every row of a phase inside the caller's transaction: a throw anywhere rolls all
    /// of it back.
    private func insertPhase(_ commit: PhaseCommit, blobs: PhaseBlobs, encoded: [(blob: PhaseBlobs.Blob, stored: (encoding: String, bytes: Data))],
                             _ connection: PostgresConnection) async throws -> CommittedPhase {
        let now = Date()
        let job = try await lockedJob(connection, id: commit.jobID)
        // One phase of a model at a time, across every process sharing the database; released
        // when the transaction ends.
        try await connection.execute("SELECT pg_advisory_xact_lock(hashtextextended(\("grove.model." + job.model), 0))", logger: logger)
        let head = try await connection.scalar(Int.self, """
            SELECT coalesce(max(v.number), 0) FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = \(job.model)
            """, logger: logger) ?? 0
        try StoreRules.checkClaim(of: commit, job: job, head: head)
        let model = try await upsertModel(connection, name: job.model, commit: commit, at: now)
        for (blob, stored) in encoded {
            try await insertBlob(connection, sha256: blob.sha256, stored: stored, kind: blob.kind, at: now)
        }
        let domainID = try await upsertDomain(connection, modelID: model.id, commit: commit, signature: blobs.domainSignature, jobID: job.id, at: now)
        var domainRows: [(name: String, id: Int64)] = []
        for try await (name, id) in try await connection.query("SELECT name, id FROM domains WHERE model_id = \(model.id)", logger: logger)
            .decode((String, Int64).self) {
            domainRows.append((name, id))
        }
        let domains = DomainIDs(model: model, rows: domainRows)

        let dataset = commit.dataset
        let datasetID = try await insertReturningID(connection, """
            INSERT INTO datasets (model_id, sha256, job_id, domain_id, format, sample_count, feature_count, class_count,
                                  train_count, test_count, split_seed, signature_sha256, created_at)
            VALUES (\(model.id), \(job.datasetSHA256), \(job.id), \(domainID), \(dataset.format),
                    \(dataset.trainCount + dataset.testCount), \(dataset.featureCount), \(dataset.classCount),
                    \(dataset.trainCount), \(dataset.testCount), \(Int64(bitPattern: dataset.splitSeed)),
                    \(blobs.datasetSignature?.sha256), \(now))
            RETURNING id
            """)
        try await connection.execute("""
            INSERT INTO held_out_splits (dataset_id, domain_id, blob_sha256, sample_count)
            VALUES (\(datasetID), \(domainID), \(blobs.heldOut.sha256), \(dataset.testCount))
            """, logger: logger)

        let previous = try await connection.record(ModelVersionRecord.self, """
            SELECT * FROM model_versions WHERE model_id = \(model.id) ORDER BY number DESC LIMIT 1
            """, logger: logger)
        let expertCount = (previous?.expertCount ?? 0) + commit.experts.count
        let gateID = try await insertReturningID(connection, """
            INSERT INTO gate_versions (model_id, job_id, blob_sha256, input_dimension, hidden_dimension, expert_count, top_k, created_at)
            VALUES (\(model.id), \(job.id), \(blobs.gate.sha256), \(commit.inputDimension), \(commit.gate.hiddenDimension),
                    \(expertCount), \(commit.gate.topK), \(now))
            RETURNING id
            """)
        let timings = commit.timings
        let versionID = try await insertReturningID(connection, """
            INSERT INTO model_versions (model_id, number, parent_id, job_id, domain_id, gate_version_id, expert_count,
                                        evaluation_count, snapshot_sha256, created_at, detect_seconds, train_experts_seconds,
                                        retrain_gate_seconds, evaluate_seconds, phase_seconds, gate_steps)
            VALUES (\(model.id), \((previous?.number ?? 0) + 1), \(previous?.id), \(job.id), \(domainID), \(gateID), \(expertCount),
                    \(commit.evaluations.count), \(blobs.snapshot?.sha256), \(now), \(timings?.detect), \(timings?.trainExperts),
                    \(timings?.retrainGate), \(timings?.evaluate), \(timings?.total), \(timings?.gateSteps))
            RETURNING id
            """)

        var expertIDs: [Int64] = []
        var nextNumber = try await connection.scalar(Int.self, """
            SELECT coalesce(max(number) + 1, 0) FROM experts WHERE model_id = \(model.id)
            """, logger: logger) ?? 0
        for (index, expert) in commit.experts.enumerated() {
            let number = expert.number ?? nextNumber
            nextNumber = max(nextNumber, number + 1)
            let parentID = try await expert.parent.asyncMap { try await resolve($0, model: model.id, newIDs: expertIDs, connection) }
            let frozenJobID: Int64? = expert.frozen ? job.id : nil
            let frozenVersionID: Int64? = expert.frozen ? versionID : nil
            expertIDs.append(try await insertReturningID(connection, """
                INSERT INTO experts (model_id, domain_id, parent_id, created_job_id, created_version_id, frozen_job_id,
                                     frozen_version_id, input_dimension, hidden_dimension, output_dimension, classes,
                                     weights_sha256, checksum, created_at, number)
                VALUES (\(model.id), \(domainID), \(parentID), \(job.id), \(versionID), \(frozenJobID), \(frozenVersionID),
                        \(commit.inputDimension), \(expert.hiddenDimension), \(expert.classes.count),
                        \(try StoreRules.jsonText(expert.classes)), \(blobs.weights[index].sha256), \(expert.checksum), \(now), \(number))
                RETURNING id
                """))
        }

        let detection = commit.detection
        let nearestID = try detection.nearestDomain.map { try domains.id(of: $0) }
        let detectionID = try await insertReturningID(connection, """
            INSERT INTO detections (job_id, dataset_id, model_version_id, decision, domain_id, nearest_domain_id, statistic,
                                    p_value, declared_domain, contradicts_declaration, created_at, significance)
            VALUES (\(job.id), \(datasetID), \(versionID), \(detection.decision.rawValue), \(domainID), \(nearestID),
                    \(detection.statistic), \(detection.pValue), \(job.declaredDomain), \(detection.contradictsDeclaration),
                    \(now), \(detection.significance))
            RETURNING id
            """)
        // Evidence and evaluations (about a thousand rows at 100 domains) go in one statement
        // each, as arrays, rather than a round trip per row.
        if !detection.evidence.isEmpty {
            let evidenceDomains = try detection.evidence.map { try domains.id(of: $0.domain) }
            try await connection.execute("""
                INSERT INTO detection_evidence (detection_id, domain_id, statistic, p_value)
                SELECT \(detectionID), d, s, p
                FROM unnest(\(evidenceDomains)::bigint[], \(detection.evidence.map(\.statistic))::float8[],
                            \(detection.evidence.map(\.pValue))::float8[]) AS t(d, s, p)
                """, logger: logger)
        }
        if !commit.evaluations.isEmpty {
            try await requireStoredExperts(commit.evaluations.compactMap(\.expert), model: model.id, connection)
            var domainIDs: [Int64] = [], metrics: [String] = [], experts: [Int64] = [], values: [Double] = [], samples: [Int64] = []
            for evaluation in commit.evaluations {
                domainIDs.append(try domains.id(of: evaluation.domain))
                metrics.append(evaluation.metric.rawValue)
                // 0 stands for no expert (ids start at 1).
                switch evaluation.expert {
                case nil: experts.append(0)
                case .new(let index)?: experts.append(try StoreRules.newExpertID(index, in: expertIDs))
                case .stored(let id)?: experts.append(id)
                }
                values.append(evaluation.value)
                samples.append(Int64(evaluation.sampleCount))
            }
            try await connection.execute("""
                INSERT INTO evaluations (model_version_id, domain_id, metric, expert_id, value, sample_count)
                SELECT \(versionID), d, m, NULLIF(e, 0), v, s
                FROM unnest(\(domainIDs)::bigint[], \(metrics)::text[], \(experts)::bigint[], \(values)::float8[],
                            \(samples)::bigint[]) AS t(d, m, e, v, s)
                """, logger: logger)
        }
        for (index, replay) in commit.replay.enumerated() {
            try await connection.execute("""
                INSERT INTO replay_reservoirs (model_version_id, domain_id, blob_sha256, sample_count)
                VALUES (\(versionID), \(try domains.id(of: replay.domain)), \(blobs.replay[index].sha256), \(replay.sampleCount))
                """, logger: logger)
        }
        for event in commit.events {
            try await connection.appendEvent(kind: event.kind, message: event.message, jobID: job.id, versionID: versionID, at: now, logger: logger)
        }
        _ = try await end(connection, jobID: job.id, as: .succeeded, error: nil, allowedFrom: [.running], operation: "finish", at: now)

        guard let version = try await connection.record(ModelVersionRecord.self, "SELECT * FROM model_versions WHERE id = \(versionID)", logger: logger) else {
            throw StoreError.server(sqlState: "XX000", message: "model version \(versionID) vanished during its commit")
        }
        return CommittedPhase(modelVersion: version, expertIDs: expertIDs, domainID: domainID, datasetID: datasetID)
    }

    // MARK: - Steps

    func insertReturningID(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> Int64 {
        guard let id = try await connection.scalar(Int64.self, query, logger: logger) else {
            throw StoreError.server(sqlState: "XX000", message: "an INSERT returned no id")
        }
        return id
    }

    /// Stores an encoded blob unless one of that name exists.
    func insertBlob(_ connection: PostgresConnection, sha256: String, stored: (encoding: String, bytes: Data), kind: BlobKind, at date: Date) async throws {
        try await connection.execute("""
            INSERT INTO blobs (sha256, kind, size, encoding, data, created_at)
            VALUES (\(sha256), \(kind.rawValue), \(stored.bytes.count), \(stored.encoding), \(stored.bytes), \(date))
            ON CONFLICT (sha256) DO NOTHING
            """, logger: logger)
    }

    private func upsertModel(_ connection: PostgresConnection, name: String, commit: PhaseCommit, at now: Date) async throws -> ModelRecord {
        if let model = try await connection.record(ModelRecord.self, "SELECT * FROM models WHERE name = \(name) FOR UPDATE", logger: logger) {
            guard model.inputDimension == commit.inputDimension else {
                throw StoreError.inputDimensionMismatch(model: name, stored: model.inputDimension, given: commit.inputDimension)
            }
            guard StoreRules.labels(commit.labels, extend: model.labels) else {
                throw StoreError.labelsNotExtended(model: name)
            }
            if commit.labels != model.labels {
                try await connection.execute("UPDATE models SET labels = \(try StoreRules.jsonText(commit.labels)) WHERE id = \(model.id)", logger: logger)
            }
        } else {
            try await connection.execute("""
                INSERT INTO models (name, input_dimension, labels, created_at)
                VALUES (\(name), \(commit.inputDimension), \(try StoreRules.jsonText(commit.labels)), \(now))
                """, logger: logger)
        }
        guard let model = try await connection.record(ModelRecord.self, "SELECT * FROM models WHERE name = \(name)", logger: logger) else {
            throw StoreError.modelNotFound(name: name)
        }
        return model
    }

    private func upsertDomain(_ connection: PostgresConnection, modelID: Int64, commit: PhaseCommit, signature: PhaseBlobs.Blob?,
                              jobID: Int64, at now: Date) async throws -> Int64 {
        let existing = try await connection.scalar(Int64.self, """
            SELECT id FROM domains WHERE model_id = \(modelID) AND name = \(commit.domain.name)
            """, logger: logger)
        guard let existing else {
            return try await insertReturningID(connection, """
                INSERT INTO domains (model_id, name, signature_sha256, created_job_id, created_at)
                VALUES (\(modelID), \(commit.domain.name), \(signature?.sha256), \(jobID), \(now))
                RETURNING id
                """)
        }
        if let signature {
            try await connection.execute("UPDATE domains SET signature_sha256 = \(signature.sha256) WHERE id = \(existing)", logger: logger)
        }
        return existing
    }

    /// Checks that every stored expert among `references` belongs to the model, in one query.
    private func requireStoredExperts(_ references: [ExpertReference], model: Int64, _ connection: PostgresConnection) async throws {
        let stored = Array(Set(references.compactMap { reference -> Int64? in
            if case .stored(let id) = reference { return id }
            return nil
        })).sorted()
        guard !stored.isEmpty else { return }
        var owned = Set<Int64>()
        let rows = try await connection.query("SELECT id FROM experts WHERE id = ANY(\(stored)) AND model_id = \(model)", logger: logger)
        for try await id in rows.decode(Int64.self) { owned.insert(id) }
        if let missing = stored.first(where: { !owned.contains($0) }) {
            throw StoreError.unknownExpert(id: missing)
        }
    }

    /// The id of a referenced expert, checking that a stored one belongs to the model.
    private func resolve(_ reference: ExpertReference, model: Int64, newIDs: [Int64], _ connection: PostgresConnection) async throws -> Int64 {
        switch reference {
        case .new(let index):
            return try StoreRules.newExpertID(index, in: newIDs)
        case .stored(let id):
            let owner = try await connection.scalar(Int64.self, "SELECT model_id FROM experts WHERE id = \(id)", logger: logger)
            guard owner == model else {
                throw StoreError.unknownExpert(id: id)
            }
            return id
        }
    }
}
