import Foundation
import GroveStore
import Logging
import PostgresNIO

// MARK: - Job queue

extension PostgresStore {
    public func enqueue(_ request: JobRequest) async throws -> EnqueueResult {
        try StoreRules.validate(request)
        return try await transaction { connection in
            let now = Date()
            // Inserting first makes two concurrent submissions of one file agree: the second
            // waits for the first's row and then finds it.
            let inserted = try await connection.scalar(Int64.self, """
                INSERT INTO jobs (model, dataset_sha256, source, labels_source, format, declared_domain,
                                  state, created_at, updated_at)
                VALUES (\(request.model), \(request.datasetSHA256), \(request.source), \(request.labelsSource),
                        \(request.format), \(request.declaredDomain), 'queued', \(now), \(now))
                ON CONFLICT (model, dataset_sha256) DO NOTHING
                RETURNING id
                """, logger: self.logger)
            if let id = inserted {
                try await connection.appendEvent(kind: .jobQueued, message: StoreRules.queuedMessage(request), jobID: id, at: now, logger: self.logger)
                return EnqueueResult(job: try await self.lockedJob(connection, id: id), created: true, requeued: false)
            }
            guard let existing = try await connection.record(JobRecord.self, """
                SELECT * FROM jobs WHERE model = \(request.model) AND dataset_sha256 = \(request.datasetSHA256) FOR UPDATE
                """, logger: self.logger)
            else {
                throw StoreError.busy(reason: "a concurrent submission of the same dataset was rolled back")
            }
            guard StoreRules.retryableStates.contains(existing.state) else {
                return EnqueueResult(job: existing, created: false, requeued: false)
            }
            let job = try await self.requeue(connection, job: existing, as: request, at: now)
            return EnqueueResult(job: job, created: false, requeued: true)
        }
    }

    public func retry(jobID: Int64) async throws -> JobRecord {
        try await transaction { connection in
            let job = try await self.lockedJob(connection, id: jobID)
            guard StoreRules.retryableStates.contains(job.state) else {
                throw StoreError.invalidJobTransition(id: jobID, from: job.state, operation: "retry")
            }
            return try await self.requeue(connection, job: job, as: nil, at: Date())
        }
    }

    public func claimNextJob(after lastModel: String?, lease: JobLease?) async throws -> JobRecord? {
        try await transaction { connection -> JobRecord? in
            // Claims are serialised by a transaction-level advisory lock: "no running job in
            // the model" is then true when the claim commits, so two workers never run phases
            // of one model at once. A claim is a few milliseconds per phase, so the lock costs
            // nothing; SKIP LOCKED still passes over a job another transaction is ending.
            try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.claimLock))", logger: self.logger)
            var sql = StoreRules.nextJobSQL(afterModel: lastModel != nil, parameter: "$1") + " FOR UPDATE SKIP LOCKED"
            var bindings = PostgresBindings()
            if let lastModel { bindings.append(lastModel) } else { sql = sql.replacingOccurrences(of: "$1", with: "NULL") }
            guard let next = try await connection.record(JobRecord.self, PostgresQuery(unsafeSQL: sql, binds: bindings), logger: self.logger) else {
                return nil
            }
            let now = Date()
            try await connection.execute("""
                UPDATE jobs SET state = 'running', attempts = attempts + 1, progress = 0,
                    progress_note = NULL, started_at = \(now), updated_at = \(now), lease_owner = \(lease?.owner),
                    lease_expires_at = CASE WHEN \(lease?.seconds)::float8 IS NULL THEN NULL
                                            ELSE now() + make_interval(secs => \(lease?.seconds)) END
                WHERE id = \(next.id)
                """, logger: self.logger)
            try await connection.appendEvent(kind: .jobClaimed, message: StoreRules.claimedMessage(attempt: next.attempts + 1),
                                             jobID: next.id, at: now, logger: self.logger)
            return try await self.lockedJob(connection, id: next.id)
        }
    }

    public func recordProgress(jobID: Int64, progress: Double, note: String?) async throws {
        try StoreRules.validate(progress: progress)
        try await transaction { connection in
            let job = try await self.lockedJob(connection, id: jobID)
            guard job.state == .running else {
                throw StoreError.invalidJobTransition(id: jobID, from: job.state, operation: "record progress of")
            }
            try await connection.execute("""
                UPDATE jobs SET progress = \(progress), progress_note = \(note), updated_at = \(Date()) WHERE id = \(jobID)
                """, logger: self.logger)
        }
    }

    public func finish(jobID: Int64) async throws -> JobRecord {
        try await transaction { connection in
            try await self.end(connection, jobID: jobID, as: .succeeded, error: nil, allowedFrom: [.running], operation: "finish")
        }
    }

    public func fail(jobID: Int64, message: String, attempt: Int?) async throws -> JobRecord {
        try await transaction { connection in
            try StoreRules.checkAttempt(attempt, of: try await self.lockedJob(connection, id: jobID))
            return try await self.end(connection, jobID: jobID, as: .failed, error: message, allowedFrom: [.queued, .running], operation: "fail")
        }
    }

    public func renewLease(jobID: Int64, lease: JobLease) async throws -> Date {
        try await transaction { connection in
            // The server's clock decides every lease, so workers' clocks may disagree.
            guard let expires = try await connection.scalar(Date.self, """
                UPDATE jobs SET lease_expires_at = now() + make_interval(secs => \(lease.seconds)), updated_at = \(Date())
                WHERE id = \(jobID) AND state = 'running' AND lease_owner = \(lease.owner)
                RETURNING lease_expires_at
                """, logger: self.logger)
            else { throw StoreError.leaseLost(jobID: jobID) }
            return expires
        }
    }

    public func requeueExpired(maxAttempts: Int) async throws -> [JobRecord] {
        try StoreRules.validate(maxAttempts: maxAttempts)
        return try await transaction { connection in
            let expired = try await connection.records(JobRecord.self, """
                SELECT * FROM jobs WHERE state = 'running' AND lease_expires_at < now() ORDER BY id FOR UPDATE SKIP LOCKED
                """, logger: self.logger)
            return try await self.requeue(connection, interrupted: expired, maxAttempts: maxAttempts) {
                StoreRules.expiredMessage(owner: $0.leaseOwner, attempts: $0.attempts)
            }
        }
    }

    public func cancel(jobID: Int64, reason: String?) async throws -> JobRecord {
        try await transaction { connection in
            try await self.end(connection, jobID: jobID, as: .cancelled, error: reason, allowedFrom: [.queued, .running], operation: "cancel")
        }
    }

    public func requeueInterrupted(maxAttempts: Int) async throws -> [JobRecord] {
        try StoreRules.validate(maxAttempts: maxAttempts)
        return try await transaction { connection in
            let interrupted = try await connection.records(JobRecord.self, """
                SELECT * FROM jobs WHERE state = 'running' ORDER BY id FOR UPDATE
                """, logger: self.logger)
            return try await self.requeue(connection, interrupted: interrupted, maxAttempts: maxAttempts) {
                StoreRules.requeuedMessage(attempts: $0.attempts)
            }
        }
    }

    public func job(id: Int64) async throws -> JobRecord? {
        try await read { connection in
            try await connection.record(JobRecord.self, "SELECT * FROM jobs WHERE id = \(id)", logger: self.logger)
        }
    }

    public func jobs(model: String?, states: Set<JobState>?) async throws -> [JobRecord] {
        try await jobs(model: model, states: states, after: Int64.min, limit: Int(Int64.max))
    }

    public func jobs(model: String?, states: Set<JobState>?, after: Int64, limit: Int) async throws -> [JobRecord] {
        let stateNames = states.map { $0.map(\.rawValue).sorted() }
        return try await read { connection in
            try await connection.records(JobRecord.self, """
                SELECT * FROM jobs
                WHERE id > \(after)
                  AND (\(model)::text IS NULL OR model = \(model))
                  AND (\(stateNames)::text[] IS NULL OR state = ANY(\(stateNames)))
                ORDER BY id LIMIT \(max(limit, 0))
                """, logger: self.logger)
        }
    }

    public func jobCounts() async throws -> [JobCount] {
        try await read { connection in
            var counts: [JobCount] = []
            let rows = try await connection.query("""
                SELECT model, state, count FROM job_counts WHERE count > 0 ORDER BY model, state
                """, logger: self.logger)
            for try await (model, stateName, count) in rows.decode((String, String, Int).self) {
                if let state = JobState(rawValue: stateName) {
                    counts.append(JobCount(model: model, state: state, count: count))
                }
            }
            return counts
        }
    }

    // MARK: - Shared steps

    /// The advisory lock that serialises claims across every worker of the database.
    static let claimLock: Int64 = 0x4772_6F76_6543_6C6D

    /// Puts `interrupted` running jobs back to `queued`, or `failed` once they have used
    /// `maxAttempts`, logging why (`reason`), and returns them as changed.
    private func requeue(_ connection: PostgresConnection, interrupted: [JobRecord], maxAttempts: Int,
                         reason: @Sendable (JobRecord) -> String) async throws -> [JobRecord] {
        let now = Date()
        var changed: [JobRecord] = []
        for job in interrupted {
            if job.attempts >= maxAttempts {
                let message = StoreRules.gaveUpMessage(attempts: job.attempts)
                try await connection.execute("""
                    UPDATE jobs SET state = 'failed', error = \(message), finished_at = \(now), updated_at = \(now),
                        lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = \(job.id)
                    """, logger: logger)
                try await connection.appendEvent(kind: .jobFailed, message: message, jobID: job.id, at: now, logger: logger)
            } else {
                try await connection.execute("""
                    UPDATE jobs SET state = 'queued', progress = 0, progress_note = NULL, updated_at = \(now),
                        lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = \(job.id)
                    """, logger: logger)
                try await connection.appendEvent(kind: .jobRequeued, message: reason(job), jobID: job.id, at: now, logger: logger)
            }
            changed.append(try await lockedJob(connection, id: job.id))
        }
        return changed
    }

    /// The job with this id, locked for the rest of the transaction.
    func lockedJob(_ connection: PostgresConnection, id: Int64) async throws -> JobRecord {
        guard let job = try await connection.record(JobRecord.self, "SELECT * FROM jobs WHERE id = \(id) FOR UPDATE", logger: logger) else {
            throw StoreError.jobNotFound(id: id)
        }
        return job
    }

    /// Puts a failed or cancelled job back to `queued` as if new (see `StoreRules`).
    private func requeue(_ connection: PostgresConnection, job: JobRecord, as request: JobRequest?, at now: Date) async throws -> JobRecord {
        let source = request?.source ?? job.source
        let labelsSource = request.map(\.labelsSource) ?? job.labelsSource
        let format = request.map(\.format) ?? job.format
        let declaredDomain = request.map(\.declaredDomain) ?? job.declaredDomain
        try await connection.execute("""
            UPDATE jobs SET state = 'queued', attempts = 0, progress = 0, progress_note = NULL, error = NULL,
                started_at = NULL, finished_at = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = \(now),
                source = \(source), labels_source = \(labelsSource), format = \(format), declared_domain = \(declaredDomain)
            WHERE id = \(job.id)
            """, logger: logger)
        try await connection.appendEvent(kind: .jobRetried, message: StoreRules.retriedMessage(job, resubmitted: request != nil),
                                         jobID: job.id, at: now, logger: logger)
        return try await lockedJob(connection, id: job.id)
    }

    /// Moves a job to a final state, checking where it comes from, and logs it.
    func end(_ connection: PostgresConnection, jobID: Int64, as state: JobState, error: String?,
             allowedFrom: Set<JobState>, operation: String, at now: Date = Date()) async throws -> JobRecord {
        let job = try await lockedJob(connection, id: jobID)
        guard allowedFrom.contains(job.state) else {
            throw StoreError.invalidJobTransition(id: jobID, from: job.state, operation: operation)
        }
        let progress = state == .succeeded ? 1.0 : job.progress
        try await connection.execute("""
            UPDATE jobs SET state = \(state.rawValue), error = \(error), progress = \(progress),
                finished_at = \(now), updated_at = \(now), lease_owner = NULL, lease_expires_at = NULL WHERE id = \(jobID)
            """, logger: logger)
        if let kind = EventKind(jobEndedAs: state) {
            try await connection.appendEvent(kind: kind, message: error ?? state.rawValue, jobID: jobID, at: now, logger: logger)
        }
        return try await lockedJob(connection, id: jobID)
    }
}
