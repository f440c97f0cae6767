import Foundation
import GRDB

// MARK: - Committing a phase

extension SQLiteStore {
    public func commitPhase(_ commit: PhaseCommit) async throws -> CommittedPhase {
        try StoreRules.validate(commit)
        // Hash outside the write transaction: the writer lock is held only for SQL.
        let blobs = PhaseBlobs(commit)
        return try await write { db in
            try Self.insertPhase(commit, blobs: blobs, db)
        }
    }

    /// Writes every row of a phase. Runs inside one write transaction: a throw anywhere rolls
    /// all of it back.
    static func insertPhase(_ commit: PhaseCommit, blobs: PhaseBlobs, _ db: Database) throws -> CommittedPhase {
        let now = Date()
        let job = try fetchJob(db, id: commit.jobID)
        let head = try Int.fetchOne(db, sql: """
            SELECT coalesce(max(v.number), 0) FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ?
            """, arguments: [job.model]) ?? 0
        try StoreRules.checkClaim(of: commit, job: job, head: head)
        let model = try upsertModel(db, name: job.model, commit: commit, at: now)
        for blob in blobs.all {
            try BlobRecord.insert(db, sha256: blob.sha256, data: blob.data, kind: blob.kind, at: now)
        }
        let domainID = try upsertDomain(db, modelID: model.id, commit: commit, signature: blobs.domainSignature, jobID: job.id, at: now)
        let domainRows = try Row.fetchAll(db, sql: "SELECT name, id FROM domains WHERE model_id = ?", arguments: [model.id])
        let domains = DomainIDs(model: model, rows: domainRows.map { (name: $0["name"], id: $0["id"]) })

        let dataset = commit.dataset
        let datasetID = try db.insertRow(into: "datasets", [
            "model_id": model.id, "sha256": job.datasetSHA256, "job_id": job.id, "domain_id": domainID,
            "format": dataset.format, "sample_count": dataset.trainCount + dataset.testCount,
            "feature_count": dataset.featureCount, "class_count": dataset.classCount,
            "train_count": dataset.trainCount, "test_count": dataset.testCount,
            "split_seed": Int64(bitPattern: dataset.splitSeed),
            "signature_sha256": blobs.datasetSignature?.sha256, "created_at": now,
        ])
        _ = try db.insertRow(into: "held_out_splits", [
            "dataset_id": datasetID, "domain_id": domainID, "blob_sha256": blobs.heldOut.sha256,
            "sample_count": dataset.testCount,
        ])

        let previous = try ModelVersionRecord
            .filter(Column("model_id") == model.id).order(Column("number").desc).fetchOne(db)
        let expertCount = (previous?.expertCount ?? 0) + commit.experts.count
        let gateID = try db.insertRow(into: "gate_versions", [
            "model_id": model.id, "job_id": job.id, "blob_sha256": blobs.gate.sha256,
            "input_dimension": commit.inputDimension, "hidden_dimension": commit.gate.hiddenDimension,
            "expert_count": expertCount, "top_k": commit.gate.topK, "created_at": now,
        ])
        let number = (previous?.number ?? 0) + 1
        let versionID = try db.insertRow(into: "model_versions", [
            "model_id": model.id, "number": number, "parent_id": previous?.id, "job_id": job.id,
            "domain_id": domainID, "gate_version_id": gateID, "expert_count": expertCount,
            "evaluation_count": commit.evaluations.count, "snapshot_sha256": blobs.snapshot?.sha256,
            "created_at": now,
            "detect_seconds": commit.timings?.detect, "train_experts_seconds": commit.timings?.trainExperts,
            "retrain_gate_seconds": commit.timings?.retrainGate, "evaluate_seconds": commit.timings?.evaluate,
            "phase_seconds": commit.timings?.total, "gate_steps": commit.timings?.gateSteps,
        ])

        var expertIDs: [Int64] = []
        var nextNumber = try Int.fetchOne(db, sql: "SELECT coalesce(max(number) + 1, 0) FROM experts WHERE model_id = ?",
                                          arguments: [model.id]) ?? 0
        for (index, expert) in commit.experts.enumerated() {
            let number = expert.number ?? nextNumber
            nextNumber = max(nextNumber, number + 1)
            let parentID = try expert.parent.map { try resolve($0, model: model.id, newIDs: expertIDs, db) }
            let id = try db.insertRow(into: "experts", [
                "model_id": model.id, "domain_id": domainID, "parent_id": parentID,
                "created_job_id": job.id, "created_version_id": versionID,
                "frozen_job_id": expert.frozen ? job.id : nil,
                "frozen_version_id": expert.frozen ? versionID : nil,
                "input_dimension": commit.inputDimension, "hidden_dimension": expert.hiddenDimension,
                "output_dimension": expert.classes.count, "classes": try StoreRules.jsonText(expert.classes),
                "weights_sha256": blobs.weights[index].sha256, "checksum": expert.checksum, "created_at": now,
                "number": number,
            ])
            expertIDs.append(id)
        }

        let detection = commit.detection
        let detectionID = try db.insertRow(into: "detections", [
            "job_id": job.id, "dataset_id": datasetID, "model_version_id": versionID,
            "decision": detection.decision, "domain_id": domainID,
            "nearest_domain_id": try detection.nearestDomain.map { try domains.id(of: $0) },
            "statistic": detection.statistic, "p_value": detection.pValue,
            "declared_domain": job.declaredDomain,
            "contradicts_declaration": detection.contradictsDeclaration, "created_at": now,
            "significance": detection.significance,
        ])
        for evidence in detection.evidence {
            _ = try db.insertRow(into: "detection_evidence", [
                "detection_id": detectionID, "domain_id": try domains.id(of: evidence.domain),
                "statistic": evidence.statistic, "p_value": evidence.pValue,
            ])
        }
        for evaluation in commit.evaluations {
            let expertID = try evaluation.expert.map { try resolve($0, model: model.id, newIDs: expertIDs, db) }
            _ = try db.insertRow(into: "evaluations", [
                "model_version_id": versionID, "domain_id": try domains.id(of: evaluation.domain),
                "metric": evaluation.metric, "expert_id": expertID, "value": evaluation.value,
                "sample_count": evaluation.sampleCount,
            ])
        }
        for (index, replay) in commit.replay.enumerated() {
            _ = try db.insertRow(into: "replay_reservoirs", [
                "model_version_id": versionID, "domain_id": try domains.id(of: replay.domain),
                "blob_sha256": blobs.replay[index].sha256, "sample_count": replay.sampleCount,
            ])
        }
        for event in commit.events {
            try db.appendEvent(kind: event.kind, message: event.message, jobID: job.id, versionID: versionID, at: now)
        }
        _ = try end(db, jobID: job.id, as: .succeeded, error: nil, allowedFrom: [.running], operation: "finish", at: now)

        guard let version = try ModelVersionRecord.fetchOne(db, key: versionID) else {
            throw StoreError.database(code: -1, message: "model version \(versionID) vanished during its commit")
        }
        return CommittedPhase(modelVersion: version, expertIDs: expertIDs, domainID: domainID, datasetID: datasetID)
    }

    // MARK: - Steps

    private static func upsertModel(_ db: Database, name: String, commit: PhaseCommit, at now: Date) throws -> ModelRecord {
        if let model = try ModelRecord.filter(Column("name") == name).fetchOne(db) {
            guard model.inputDimension == commit.inputDimension else {
                throw StoreError.inputDimensionMismatch(model: name, stored: model.inputDimension, given: commit.inputDimension)
            }
            guard StoreRules.labels(commit.labels, extend: model.labels) else {
                throw StoreError.labelsNotExtended(model: name)
            }
            if commit.labels != model.labels {
                try db.execute(sql: "UPDATE models SET labels = ? WHERE id = ?", arguments: [try StoreRules.jsonText(commit.labels), model.id])
            }
        } else {
            _ = try db.insertRow(into: "models", [
                "name": name, "input_dimension": commit.inputDimension,
                "labels": try StoreRules.jsonText(commit.labels), "created_at": now,
            ])
        }
        guard let model = try ModelRecord.filter(Column("name") == name).fetchOne(db) else {
            throw StoreError.modelNotFound(name: name)
        }
        return model
    }

    private static func upsertDomain(
        _ db: Database, modelID: Int64, commit: PhaseCommit, signature: PhaseBlobs.Blob?, jobID: Int64, at now: Date
    ) throws -> Int64 {
        let existing = try DomainRecord
            .filter(Column("model_id") == modelID && Column("name") == commit.domain.name).fetchOne(db)
        guard let existing else {
            return try db.insertRow(into: "domains", [
                "model_id": modelID, "name": commit.domain.name, "signature_sha256": signature?.sha256,
                "created_job_id": jobID, "created_at": now,
            ])
        }
        if let signature {
            try db.execute(sql: "UPDATE domains SET signature_sha256 = ? WHERE id = ?", arguments: [signature.sha256, existing.id])
        }
        return existing.id
    }

    /// The id of a referenced expert, checking that a stored one belongs to the model.
    private static func resolve(_ reference: ExpertReference, model: Int64, newIDs: [Int64], _ db: Database) throws -> Int64 {
        switch reference {
        case .new(let index):
            return try StoreRules.newExpertID(index, in: newIDs)
        case .stored(let id):
            let owner = try Int64.fetchOne(db, sql: "SELECT model_id FROM experts WHERE id = ?", arguments: [id])
            guard owner == model else {
                throw StoreError.unknownExpert(id: id)
            }
            return id
        }
    }
}
