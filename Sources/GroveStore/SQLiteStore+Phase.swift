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
        let datasetID = try DatasetRecord(
            id: 0, modelID: model.id, sha256: job.datasetSHA256, jobID: job.id, domainID: domainID, format: dataset.format,
            sampleCount: dataset.trainCount + dataset.testCount, featureCount: dataset.featureCount,
            classCount: dataset.classCount, trainCount: dataset.trainCount, testCount: dataset.testCount,
            splitSeedBits: Int64(bitPattern: dataset.splitSeed), signatureSHA256: blobs.datasetSignature?.sha256, createdAt: now
        ).insertNumbered(db)
        try HeldOutSplitRecord(datasetID: datasetID, domainID: domainID, blobSHA256: blobs.heldOut.sha256,
                               sampleCount: dataset.testCount).insert(db)

        let previous = try ModelVersionRecord
            .filter(Column("model_id") == model.id).order(Column("number").desc).fetchOne(db)
        let expertCount = (previous?.expertCount ?? 0) + commit.experts.count
        let gateID = try GateVersionRecord(
            id: 0, modelID: model.id, jobID: job.id, blobSHA256: blobs.gate.sha256, inputDimension: commit.inputDimension,
            hiddenDimension: commit.gate.hiddenDimension, expertCount: expertCount, topK: commit.gate.topK, createdAt: now
        ).insertNumbered(db)
        let timings = commit.timings
        let versionID = try ModelVersionRecord(
            id: 0, modelID: model.id, number: (previous?.number ?? 0) + 1, parentID: previous?.id, jobID: job.id,
            domainID: domainID, gateVersionID: gateID, expertCount: expertCount, evaluationCount: commit.evaluations.count,
            snapshotSHA256: blobs.snapshot?.sha256, createdAt: now, detectSeconds: timings?.detect,
            trainExpertsSeconds: timings?.trainExperts, retrainGateSeconds: timings?.retrainGate,
            evaluateSeconds: timings?.evaluate, phaseSeconds: timings?.total, gateSteps: timings?.gateSteps
        ).insertNumbered(db)

        var expertIDs: [Int64] = []
        var nextNumber = try Int.fetchOne(db, sql: "SELECT coalesce(max(number) + 1, 0) FROM experts WHERE model_id = ?",
                                          arguments: [model.id]) ?? 0
        for (index, expert) in commit.experts.enumerated() {
            let number = expert.number ?? nextNumber
            nextNumber = max(nextNumber, number + 1)
            let parentID = try expert.parent.map { try resolve($0, model: model.id, newIDs: expertIDs, db) }
            let id = try ExpertRecord(
                id: 0, number: number, modelID: model.id, domainID: domainID, parentID: parentID, createdJobID: job.id,
                createdVersionID: versionID, frozenJobID: expert.frozen ? job.id : nil,
                frozenVersionID: expert.frozen ? versionID : nil, inputDimension: commit.inputDimension,
                hiddenDimension: expert.hiddenDimension, outputDimension: expert.classes.count, classes: expert.classes,
                weightsSHA256: blobs.weights[index].sha256, checksum: expert.checksum, createdAt: now
            ).insertNumbered(db)
            expertIDs.append(id)
        }

        let detection = commit.detection
        let detectionID = try DetectionRecord(
            id: 0, jobID: job.id, datasetID: datasetID, modelVersionID: versionID, decision: detection.decision,
            domainID: domainID, nearestDomainID: try detection.nearestDomain.map { try domains.id(of: $0) },
            statistic: detection.statistic, pValue: detection.pValue, declaredDomain: job.declaredDomain,
            contradictsDeclaration: detection.contradictsDeclaration, createdAt: now, significance: detection.significance
        ).insertNumbered(db)
        for evidence in detection.evidence {
            try DetectionEvidenceRecord(detectionID: detectionID, domainID: try domains.id(of: evidence.domain),
                                        statistic: evidence.statistic, pValue: evidence.pValue).insert(db)
        }
        try EvaluationRecord.insertAll(try commit.evaluations.map { evaluation in
            let expertID = try evaluation.expert.map { try resolve($0, model: model.id, newIDs: expertIDs, db) }
            return EvaluationRecord(id: 0, modelVersionID: versionID, domainID: try domains.id(of: evaluation.domain),
                                    metric: evaluation.metric, expertID: expertID, value: evaluation.value,
                                    sampleCount: evaluation.sampleCount)
        }, db)
        for (index, replay) in commit.replay.enumerated() {
            _ = try ReplayReservoirRecord(id: 0, modelVersionID: versionID, domainID: try domains.id(of: replay.domain),
                                          blobSHA256: blobs.replay[index].sha256, sampleCount: replay.sampleCount).insertNumbered(db)
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
            _ = try ModelRecord(id: 0, name: name, inputDimension: commit.inputDimension, labels: commit.labels,
                                createdAt: now).insertNumbered(db)
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
            return try DomainRecord(id: 0, modelID: modelID, name: commit.domain.name, signatureSHA256: signature?.sha256,
                                    createdJobID: jobID, createdAt: now).insertNumbered(db)
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
            // Cached: a phase resolves one stored expert per load-share row.
            let owner = try Int64.fetchOne(db.cachedStatement(sql: "SELECT model_id FROM experts WHERE id = ?"), arguments: [id])
            guard owner == model else {
                throw StoreError.unknownExpert(id: id)
            }
            return id
        }
    }
}
