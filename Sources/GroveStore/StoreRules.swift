import Foundation

/// The rules every ``Store`` backend applies the same way: which arguments are valid, which job
/// transitions are allowed, and the words of the audit log. Backends differ only in SQL.
package enum StoreRules {
    /// The job states that ``Store/retry(jobID:)`` and a repeated ``Store/enqueue(_:)`` put
    /// back in the queue.
    package static let retryableStates: Set<JobState> = [.failed, .cancelled]

    /// Checks a submission before any SQL runs.
    package static func validate(_ request: JobRequest) throws {
        guard SHA256Hex.isValid(request.datasetSHA256) else {
            throw StoreError.invalidArgument("dataset sha256 must be 64 lowercase hex digits")
        }
        guard !request.model.isEmpty, request.model.count <= 128 else {
            throw StoreError.invalidArgument("model name must have 1 to 128 characters")
        }
    }

    /// Checks a progress value (in [0, 1]).
    package static func validate(progress: Double) throws {
        guard progress.isFinite, (0...1).contains(progress) else {
            throw StoreError.invalidArgument("progress \(progress) is outside [0, 1]")
        }
    }

    /// Checks ``Store/requeueInterrupted(maxAttempts:)``'s argument.
    package static func validate(maxAttempts: Int) throws {
        guard maxAttempts >= 1 else {
            throw StoreError.invalidArgument("maxAttempts must be at least 1")
        }
    }

    /// The message for a version number a model does not have.
    package static func unknownVersionMessage(model: String, number: Int) -> String {
        "model '\(model)' has no version \(number)"
    }

    /// Refuses a drift window whose numbers cannot be.
    package static func validate(_ window: DriftWindow) throws {
        guard window.rowCount >= 2 else { throw StoreError.invalidArgument("a drift window needs at least 2 rows, got \(window.rowCount)") }
        guard window.version >= 1 else { throw StoreError.invalidArgument("drift window version \(window.version) is not a version") }
        guard (0...1).contains(window.pValue) else { throw StoreError.invalidArgument("drift window p-value \(window.pValue) is outside [0, 1]") }
        guard window.statistic.isFinite, window.medianNovelty.isFinite, window.medianNovelty >= 0 else {
            throw StoreError.invalidArgument("drift window statistic \(window.statistic) or novelty \(window.medianNovelty) is not a finite measure")
        }
    }

    /// Refuses a drift event whose numbers or candidate rows cannot be.
    package static func validate(_ event: DriftEvent) throws {
        guard event.version >= 1 else { throw StoreError.invalidArgument("drift event version \(event.version) is not a version") }
        guard (0...1).contains(event.pValue), event.statistic.isFinite else {
            throw StoreError.invalidArgument("drift event p-value \(event.pValue) or statistic \(event.statistic) is out of range")
        }
        guard event.candidateRows >= 1, event.featureCount >= 1,
              event.candidate.count == event.candidateRows * event.featureCount * MemoryLayout<Float>.size else {
            throw StoreError.invalidArgument(
                "drift event candidate holds \(event.candidate.count) bytes, not \(event.candidateRows) rows of \(event.featureCount) float32 features")
        }
    }

    /// A drift event's candidate may only grow, and must hold `rows` rows of its features.
    package static func validateExtension(of record: DriftEventRecord, candidate: Data, rows: Int) throws {
        guard rows > record.candidateRows else {
            throw StoreError.invalidArgument("drift event \(record.id) holds \(record.candidateRows) candidate rows; an extension must hold more (got \(rows))")
        }
        guard candidate.count == rows * record.featureCount * MemoryLayout<Float>.size else {
            throw StoreError.invalidArgument(
                "drift event candidate holds \(candidate.count) bytes, not \(rows) rows of \(record.featureCount) float32 features")
        }
    }

    /// Checks what can be checked in a phase without the database, before a transaction starts.
    package static func validate(_ commit: PhaseCommit) throws {
        guard commit.inputDimension > 0 else {
            throw StoreError.invalidArgument("input dimension must be positive")
        }
        guard commit.gate.topK >= 1 else {
            throw StoreError.invalidArgument("gate top-k must be at least 1")
        }
        for (index, expert) in commit.experts.enumerated() {
            if case .new(let parent) = expert.parent, !(0..<index).contains(parent) {
                throw StoreError.invalidExpertReference(index: parent, count: index)
            }
            guard !expert.classes.isEmpty else {
                throw StoreError.invalidArgument("new expert \(index) has no classes")
            }
            if let number = expert.number, number < 0 {
                throw StoreError.invalidArgument("new expert \(index) has the negative number \(number)")
            }
        }
        for evaluation in commit.evaluations {
            if case .new(let index) = evaluation.expert, !commit.experts.indices.contains(index) {
                throw StoreError.invalidExpertReference(index: index, count: commit.experts.count)
            }
        }
    }

    /// Checks, inside the commit's transaction, that the phase's job is still running under
    /// the claim the phase ran with, and that the model's newest version (`head`, 0 for none)
    /// is still the one the phase started from.
    package static func checkClaim(of commit: PhaseCommit, job: JobRecord, head: Int) throws {
        guard job.state == .running else {
            throw StoreError.invalidJobTransition(id: job.id, from: job.state, operation: "commit a phase for")
        }
        if let attempt = commit.attempt, attempt != job.attempts {
            throw StoreError.leaseLost(jobID: job.id)
        }
        if let base = commit.baseVersion, base != head {
            throw StoreError.headMoved(model: job.model, expected: base, found: head)
        }
    }

    /// Checks, inside a rollback's transaction, that the model's newest version is still
    /// `rollback.baseVersion`, that it has no running job and that the target is an earlier version.
    package static func checkRollback(_ rollback: RollbackCommit, head: Int, runningJob: Int64?) throws {
        guard head == rollback.baseVersion else {
            throw StoreError.headMoved(model: rollback.model, expected: rollback.baseVersion, found: head)
        }
        if let runningJob { throw StoreError.modelBusy(model: rollback.model, jobID: runningJob) }
        guard (1..<head).contains(rollback.target) else {
            throw StoreError.invalidArgument(rollback.target == head
                ? "version \(head) of model '\(rollback.model)' is already the newest; roll back to an earlier one"
                : unknownVersionMessage(model: rollback.model, number: rollback.target))
        }
    }

    /// The message of a rollback's `model.rollback` event.
    package static func rollbackMessage(_ rollback: RollbackCommit, number: Int, experts: Int) -> String {
        "version \(number) rolls back to version \(rollback.target) (\(experts) experts); versions \(rollback.target + 1)–\(rollback.baseVersion) stay in the lineage"
    }

    /// The row id of the phase's `index`-th new expert, among `newIDs` inserted so far.
    /// - Throws: `StoreError.invalidExpertReference` when it is not an earlier new expert.
    package static func newExpertID(_ index: Int, in newIDs: [Int64]) throws -> Int64 {
        guard newIDs.indices.contains(index) else {
            throw StoreError.invalidExpertReference(index: index, count: newIDs.count)
        }
        return newIDs[index]
    }

    /// Checks that a worker's `attempt` (when given) is still the job's current claim.
    package static func checkAttempt(_ attempt: Int?, of job: JobRecord) throws {
        if let attempt, attempt != job.attempts || job.state != .running {
            throw StoreError.leaseLost(jobID: job.id)
        }
    }

    /// Whether a phase's label list keeps every stored label at its index. Labels only ever
    /// grow; an empty stored name marks a free index (an integer label placed at its own
    /// value) that a later phase may fill.
    package static func labels(_ new: [String], extend stored: [String]) -> Bool {
        new.count >= stored.count && zip(stored, new).allSatisfy { old, next in old.isEmpty || old == next }
    }

    /// A value as compact JSON text, as array columns hold it.
    package static func jsonText<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    // MARK: - Audit-log messages

    /// The message of `job.queued`.
    package static func queuedMessage(_ request: JobRequest) -> String {
        "queued \(request.source) for model \(request.model)"
    }

    /// The message of `job.claimed` for the attempt that starts.
    package static func claimedMessage(attempt: Int) -> String {
        "attempt \(attempt)"
    }

    /// The message of `job.retried`: how the job came back and the outcome it replaces.
    package static func retriedMessage(_ job: JobRecord, resubmitted: Bool) -> String {
        let previous = job.state == .failed
            ? "failed after \(job.attempts) attempt(s): \(job.error ?? "no reason")"
            : "been cancelled" + (job.error.map { ": \($0)" } ?? "")
        return "\(resubmitted ? "submitted again" : "retried"); it had \(previous)"
    }

    /// The SQL that picks the job a claim takes: the id of the oldest queued job of the first
    /// model (by name) after the bound model name, wrapping around, among models with no
    /// running job; or of the oldest such job of any model. Both backends run it,
    /// with `?` or `$1` as `parameter`.
    package static func nextJobSQL(afterModel: Bool, parameter: String) -> String {
        let eligible = """
            WITH eligible AS (
                SELECT model, min(id) AS first FROM jobs AS q
                WHERE state = 'queued'
                  AND NOT EXISTS (SELECT 1 FROM jobs AS r WHERE r.state = 'running' AND r.model = q.model)
                GROUP BY model)
            """
        guard afterModel else {
            return eligible + "\nSELECT * FROM jobs WHERE id = (SELECT min(first) FROM eligible)"
        }
        return eligible + """

            SELECT * FROM jobs WHERE id = coalesce(
                (SELECT first FROM eligible WHERE model > \(parameter) ORDER BY model LIMIT 1),
                (SELECT first FROM eligible ORDER BY model LIMIT 1))
            """
    }

    /// The error of a job interrupted once too often, and its `job.failed` message.
    package static func gaveUpMessage(attempts: Int) -> String {
        "interrupted \(attempts) times; giving up"
    }

    /// The message of `job.requeued` for a job whose worker's lease ran out.
    package static func expiredMessage(owner: String?, attempts: Int) -> String {
        "the lease of \(owner ?? "its worker") ran out during attempt \(attempts)"
    }

    /// The message of `job.requeued` for a job whose attempt was interrupted.
    package static func requeuedMessage(attempts: Int) -> String {
        "interrupted after attempt \(attempts)"
    }
}
