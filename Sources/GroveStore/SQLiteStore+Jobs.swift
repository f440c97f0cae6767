import Foundation
import GRDB

// MARK: - Job queue

extension SQLiteStore {
    public func enqueue(_ request: JobRequest) async throws -> EnqueueResult {
        try StoreRules.validate(request)
        return try await write { db in
            if let existing = try JobRecord
                .filter(Column("model") == request.model && Column("dataset_sha256") == request.datasetSHA256)
                .fetchOne(db)
            {
                guard StoreRules.retryableStates.contains(existing.state) else {
                    return EnqueueResult(job: existing, created: false, requeued: false)
                }
                let job = try Self.requeue(db, job: existing, as: request, at: Date())
                return EnqueueResult(job: job, created: false, requeued: true)
            }
            let now = Date()
            let id = try JobRecord(
                id: 0, model: request.model, datasetSHA256: request.datasetSHA256, source: request.source,
                labelsSource: request.labelsSource, format: request.format, declaredDomain: request.declaredDomain,
                state: .queued, attempts: 0, progress: 0, createdAt: now, updatedAt: now
            ).insertNumbered(db)
            try db.appendEvent(kind: .jobQueued, message: StoreRules.queuedMessage(request), jobID: id, at: now)
            return EnqueueResult(job: try Self.fetchJob(db, id: id), created: true, requeued: false)
        }
    }

    public func retry(jobID: Int64) async throws -> JobRecord {
        try await write { db in
            let job = try Self.fetchJob(db, id: jobID)
            guard StoreRules.retryableStates.contains(job.state) else {
                throw StoreError.invalidJobTransition(id: jobID, from: job.state, operation: "retry")
            }
            return try Self.requeue(db, job: job, as: nil, at: Date())
        }
    }

    public func claimNextJob(after lastModel: String?, lease: JobLease?) async throws -> JobRecord? {
        try await write { db in
            guard let next = try Self.nextQueuedJob(db, after: lastModel) else { return nil }
            let now = Date()
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'running', attempts = attempts + 1, progress = 0,
                        progress_note = NULL, started_at = ?, updated_at = ?, lease_owner = ?, lease_expires_at = ?
                    WHERE id = ?
                    """,
                arguments: [now, now, lease?.owner, lease.map { now.addingTimeInterval($0.seconds) }, next.id])
            try db.appendEvent(kind: .jobClaimed, message: StoreRules.claimedMessage(attempt: next.attempts + 1), jobID: next.id, at: now)
            return try Self.fetchJob(db, id: next.id)
        }
    }

    public func recordProgress(jobID: Int64, progress: Double, note: String?) async throws {
        try StoreRules.validate(progress: progress)
        try await write { db in
            let job = try Self.fetchJob(db, id: jobID)
            guard job.state == .running else {
                throw StoreError.invalidJobTransition(id: jobID, from: job.state, operation: "record progress of")
            }
            try db.execute(
                sql: "UPDATE jobs SET progress = ?, progress_note = ?, updated_at = ? WHERE id = ?",
                arguments: [progress, note, Date(), jobID])
        }
    }

    public func finish(jobID: Int64) async throws -> JobRecord {
        try await write { db in
            try Self.end(db, jobID: jobID, as: .succeeded, error: nil, allowedFrom: [.running], operation: "finish")
        }
    }

    public func fail(jobID: Int64, message: String, attempt: Int?) async throws -> JobRecord {
        try await write { db in
            try StoreRules.checkAttempt(attempt, of: try Self.fetchJob(db, id: jobID))
            return try Self.end(db, jobID: jobID, as: .failed, error: message, allowedFrom: [.queued, .running], operation: "fail")
        }
    }

    public func renewLease(jobID: Int64, lease: JobLease) async throws -> Date {
        try await write { db in
            let now = Date()
            let expires = now.addingTimeInterval(lease.seconds)
            try db.execute(
                sql: "UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?",
                arguments: [expires, now, jobID, lease.owner])
            guard db.changesCount == 1 else {
                throw StoreError.leaseLost(jobID: jobID)
            }
            return expires
        }
    }

    public func requeueExpired(maxAttempts: Int) async throws -> [JobRecord] {
        try StoreRules.validate(maxAttempts: maxAttempts)
        return try await write { db in
            let expired = try JobRecord.filter(Column("state") == JobState.running && Column("lease_expires_at") < Date())
                .order(Column("id")).fetchAll(db)
            return try Self.requeue(db, interrupted: expired, maxAttempts: maxAttempts) {
                StoreRules.expiredMessage(owner: $0.leaseOwner, attempts: $0.attempts)
            }
        }
    }

    public func cancel(jobID: Int64, reason: String?) async throws -> JobRecord {
        try await write { db in
            try Self.end(db, jobID: jobID, as: .cancelled, error: reason, allowedFrom: [.queued, .running], operation: "cancel")
        }
    }

    public func requeueInterrupted(maxAttempts: Int) async throws -> [JobRecord] {
        try StoreRules.validate(maxAttempts: maxAttempts)
        return try await write { db in
            let interrupted = try JobRecord.filter(Column("state") == JobState.running).order(Column("id")).fetchAll(db)
            return try Self.requeue(db, interrupted: interrupted, maxAttempts: maxAttempts) {
                StoreRules.requeuedMessage(attempts: $0.attempts)
            }
        }
    }

    public func job(id: Int64) async throws -> JobRecord? {
        try await read { db in try JobRecord.fetchOne(db, key: id) }
    }

    public func jobs(model: String?, states: Set<JobState>?) async throws -> [JobRecord] {
        try await read { db in
            var request = JobRecord.order(Column("id"))
            if let model {
                request = request.filter(Column("model") == model)
            }
            if let states {
                request = request.filter(states.map(\.rawValue).contains(Column("state")))
            }
            return try request.fetchAll(db)
        }
    }

    // MARK: - Shared steps

    /// The job ``claimNextJob(after:lease:)`` takes (see `StoreRules.nextJobSQL`).
    static func nextQueuedJob(_ db: Database, after lastModel: String?) throws -> JobRecord? {
        try JobRecord.fetchOne(db, sql: StoreRules.nextJobSQL(afterModel: lastModel != nil, parameter: "?"),
                               arguments: lastModel.map { [$0] } ?? [])
    }

    /// Puts `interrupted` running jobs back to `queued`, or `failed` once they have used
    /// `maxAttempts`, logging why (`reason`), and returns them as changed.
    private static func requeue(_ db: Database, interrupted: [JobRecord], maxAttempts: Int,
                                reason: (JobRecord) -> String) throws -> [JobRecord] {
        let now = Date()
        for job in interrupted {
            if job.attempts >= maxAttempts {
                let message = StoreRules.gaveUpMessage(attempts: job.attempts)
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, updated_at = ?,
                            lease_owner = NULL, lease_expires_at = NULL WHERE id = ?
                        """,
                    arguments: [message, now, now, job.id])
                try db.appendEvent(kind: .jobFailed, message: message, jobID: job.id, at: now)
            } else {
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'queued', progress = 0, progress_note = NULL, updated_at = ?,
                            lease_owner = NULL, lease_expires_at = NULL WHERE id = ?
                        """,
                    arguments: [now, job.id])
                try db.appendEvent(kind: .jobRequeued, message: reason(job), jobID: job.id, at: now)
            }
        }
        return try JobRecord.filter(keys: interrupted.map(\.id)).order(Column("id")).fetchAll(db)
    }

    /// Puts a failed or cancelled job back to `queued` as if new: attempts 0, no error, no
    /// progress, no start or finish time. With `request`, its source, labels, format and
    /// declared domain replace the old ones. Logs `job.retried` with the outcome it replaces.
    static func requeue(_ db: Database, job: JobRecord, as request: JobRequest?, at now: Date) throws -> JobRecord {
        try db.execute(
            sql: """
                UPDATE jobs SET state = 'queued', attempts = 0, progress = 0, progress_note = NULL, error = NULL,
                    started_at = NULL, finished_at = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?,
                    source = ?, labels_source = ?, format = ?, declared_domain = ?
                WHERE id = ?
                """,
            arguments: [now, request?.source ?? job.source, request.map(\.labelsSource) ?? job.labelsSource,
                        request.map(\.format) ?? job.format, request.map(\.declaredDomain) ?? job.declaredDomain, job.id])
        try db.appendEvent(kind: .jobRetried, message: StoreRules.retriedMessage(job, resubmitted: request != nil), jobID: job.id, at: now)
        return try fetchJob(db, id: job.id)
    }

    static func fetchJob(_ db: Database, id: Int64) throws -> JobRecord {
        guard let job = try JobRecord.fetchOne(db, key: id) else {
            throw StoreError.jobNotFound(id: id)
        }
        return job
    }

    /// Moves a job to a final state, checking where it comes from, and logs it.
    static func end(
        _ db: Database, jobID: Int64, as state: JobState, error: String?, allowedFrom: Set<JobState>,
        operation: String, at now: Date = Date()
    ) throws -> JobRecord {
        let job = try fetchJob(db, id: jobID)
        guard allowedFrom.contains(job.state) else {
            throw StoreError.invalidJobTransition(id: jobID, from: job.state, operation: operation)
        }
        let progress = state == .succeeded ? 1.0 : job.progress
        try db.execute(
            sql: """
                UPDATE jobs SET state = ?, error = ?, progress = ?, finished_at = ?, updated_at = ?,
                    lease_owner = NULL, lease_expires_at = NULL WHERE id = ?
                """,
            arguments: [state, error, progress, now, now, jobID])
        if let kind = EventKind(jobEndedAs: state) {
            try db.appendEvent(kind: kind, message: error ?? state.rawValue, jobID: jobID, at: now)
        }
        return try fetchJob(db, id: jobID)
    }
}
