import Foundation

/// Grove's durable state: the job queue, the model registry with expert lineage, the
/// evaluation history and content-addressed blobs.
///
/// ``SQLiteStore`` is the embedded implementation (one SQLite file per home). The protocol
/// leaves room for a server backend that several worker daemons share.
///
/// ```swift
/// let store = try SQLiteStore.open(home: home)
/// _ = try await store.requeueInterrupted(maxAttempts: 3)
/// let submitted = try await store.enqueue(JobRequest(datasetSHA256: sha, source: path))
/// if let job = try await store.claimNextJob(after: nil) {
///     // ... run the phase, reporting progress ...
///     try await store.recordProgress(jobID: job.id, progress: 0.5, note: "training")
///     _ = try await store.commitPhase(phase)      // marks the job succeeded
/// }
/// ```
///
/// ## Topics
/// - Queue: ``enqueue(_:)``, ``retry(jobID:)``, ``claimNextJob(after:lease:)``, ``renewLease(jobID:lease:)``,
///   ``recordProgress(jobID:progress:note:)``, ``finish(jobID:)``, ``fail(jobID:message:attempt:)``,
///   ``cancel(jobID:reason:)``, ``requeueInterrupted(maxAttempts:)``, ``requeueExpired(maxAttempts:)``,
///   ``job(id:)``, ``jobs(model:states:)``
/// - Blobs: ``putBlob(_:kind:)``, ``blob(sha256:)``
/// - Phases: ``commitPhase(_:)``, ``commitRollback(_:)``
/// - Registry: ``modelNames()``, ``model(named:)``, ``domains(model:)``, ``latestModelVersion(model:)``,
///   ``modelVersions(model:)``, ``experts(model:version:)``, ``gateVersion(id:)``,
///   ``detection(jobID:)``, ``detectionEvidence(detectionID:)``, ``replayReservoirs(model:)``, ``heldOutSplits(model:)``
/// - Reports: ``ancestors(ofExpert:)``, ``descendants(ofExpert:)``,
///   ``evaluationHistory(model:domain:metric:)``, ``evaluations(model:version:)``, ``accuracyMatrix(model:metric:)``,
///   ``events(jobID:limit:)``
/// - Health: ``integrityCheck()``
///
/// Every method throws ``StoreError`` (or `CancellationError` when its task is cancelled).
public protocol Store: Sendable {
    // MARK: - Queue

    /// Queues a dataset for a model, or returns the job that already has the same dataset
    /// hash and model: re-submitting a file never makes a second job. When that job has
    /// failed or was cancelled, it is queued again as ``retry(jobID:)`` does, with the
    /// request's source, labels, format and declared domain (``EnqueueResult/requeued``);
    /// a queued, running or succeeded job is returned unchanged.
    func enqueue(_ request: JobRequest) async throws -> EnqueueResult

    /// Puts a `failed` or `cancelled` job back to `queued`, as if new: attempts 0 (so that
    /// ``requeueInterrupted(maxAttempts:)`` grants it its full count again), no error, progress
    /// 0, no start or finish time. The audit log keeps the earlier outcome (a `job.retried`
    /// event naming it). Returns the queued job.
    /// - Throws: ``StoreError/jobNotFound(id:)``, or ``StoreError/invalidJobTransition(id:from:operation:)``
    ///   for a queued, running or succeeded job.
    func retry(jobID: Int64) async throws -> JobRecord

    /// Claims a queued job, taking models in turn: the oldest queued job of the first model
    /// whose name sorts after `lastModel`, wrapping around to the first name (so `lastModel`
    /// itself comes last). With `lastModel` `nil`, the oldest queued job of any model. A model
    /// that has a running job is passed over: one model's phases run one at a time, in
    /// submission order, however many workers share the store. The job becomes `running`, with
    /// attempts + 1, progress 0 and `lease` (if any) starting now; choice and claim are one
    /// transaction, and concurrent claims never take the same job or model. Returns `nil` when
    /// no job can be claimed.
    ///
    /// A worker that passes the model of the job it ran last serves every model's queue in
    /// turn, so that one model's long queue never starves another's.
    func claimNextJob(after lastModel: String?, lease: JobLease?) async throws -> JobRecord?

    /// Extends the lease of a running job that `lease.owner` holds by `lease.seconds` from
    /// now, and returns the new expiry.
    /// - Throws: ``StoreError/leaseLost(jobID:)`` when the job is no longer running under this
    ///   owner's lease (it ran out and the job was queued again, or the job ended).
    func renewLease(jobID: Int64, lease: JobLease) async throws -> Date

    /// Puts running jobs whose lease has run out (their worker died or hung) back to `queued`;
    /// a job already claimed `maxAttempts` times becomes `failed` instead. Returns the changed
    /// jobs. Safe to call from any worker at any time: live workers renew their leases.
    func requeueExpired(maxAttempts: Int) async throws -> [JobRecord]

    /// Records the progress (in [0, 1]) of a running job.
    /// - Throws: ``StoreError/invalidJobTransition(id:from:operation:)`` unless it is running.
    func recordProgress(jobID: Int64, progress: Double, note: String?) async throws

    /// Marks a running job `succeeded` without a phase (``commitPhase(_:)`` does this itself).
    func finish(jobID: Int64) async throws -> JobRecord

    /// Marks a queued or running job `failed` with a one-line message. With `attempt`, only
    /// while the job still runs under that claim (its ``JobRecord/attempts``).
    /// - Throws: ``StoreError/leaseLost(jobID:)`` when `attempt` is no longer the job's claim.
    func fail(jobID: Int64, message: String, attempt: Int?) async throws -> JobRecord

    /// Marks a queued or running job `cancelled`.
    func cancel(jobID: Int64, reason: String?) async throws -> JobRecord

    /// Puts jobs left `running` by a dead process back to `queued`; a job that has already
    /// been claimed `maxAttempts` times becomes `failed` instead. Returns the changed jobs.
    /// Attempts are counted by ``claimNextJob(after:lease:)``. Call it when the only worker of
    /// the store starts, before it claims anything: every `running` job is then an interrupted
    /// one. Workers that share a store use ``requeueExpired(maxAttempts:)`` instead.
    func requeueInterrupted(maxAttempts: Int) async throws -> [JobRecord]

    /// The job with this id, if any.
    func job(id: Int64) async throws -> JobRecord?

    /// Jobs of one model (of every model when `model` is `nil`) in the given states (all
    /// states when `nil`), oldest first.
    func jobs(model: String?, states: Set<JobState>?) async throws -> [JobRecord]

    /// One page of ``jobs(model:states:)``: at most `limit` jobs whose id is above `after`, oldest first.
    func jobs(model: String?, states: Set<JobState>?, after: Int64, limit: Int) async throws -> [JobRecord]

    /// How many jobs each model has in each state (states without jobs left out), from
    /// counters the store keeps current with every change of a job, not by reading the jobs.
    func jobCounts() async throws -> [JobCount]

    // MARK: - Blobs

    /// Stores bytes under their SHA-256 and returns it; storing the same bytes again is a no-op.
    func putBlob(_ data: Data, kind: BlobKind) async throws -> String

    /// The bytes named `sha256`, after checking that they still hash to it.
    /// - Throws: ``StoreError/blobNotFound(sha256:)``, ``StoreError/blobCorrupted(sha256:actual:)``,
    ///   ``StoreError/blobUndecodable(sha256:reason:)``.
    func blob(sha256: String) async throws -> Data

    /// The same as ``blob(sha256:)``, blocking the calling thread: for computations that run on
    /// threads of their own (a phase reads its replay and held-out rows in batches while it
    /// learns). Never call it from a Swift concurrency task.
    func blobBlocking(sha256: String) throws -> Data

    // MARK: - Phases

    /// Commits a whole phase in one transaction and marks its (running) job `succeeded`.
    /// Either everything in `commit` is stored, or nothing is.
    func commitPhase(_ commit: PhaseCommit) async throws -> CommittedPhase

    /// Commits a rollback (``RollbackCommit``) in one transaction and returns its new version.
    /// - Throws: ``StoreError/modelNotFound(name:)``; ``StoreError/headMoved(model:expected:found:)``
    ///   when another version was committed since it was prepared; ``StoreError/modelBusy(model:jobID:)``
    ///   while a job of the model runs; ``StoreError/invalidArgument(_:)`` unless the target is
    ///   an earlier version of the model.
    func commitRollback(_ rollback: RollbackCommit) async throws -> ModelVersionRecord

    // MARK: - Registry

    /// The name of every model that a job names or a phase created, sorted.
    func modelNames() async throws -> [String]

    /// The model with this name, if any phase has created it.
    func model(named name: String) async throws -> ModelRecord?

    /// The model's domains, in order of creation.
    func domains(model: String) async throws -> [DomainRecord]

    /// Every dataset the model has learned, in order of commit.
    func datasets(model: String) async throws -> [DatasetRecord]

    /// The model's newest version, if any.
    func latestModelVersion(model: String) async throws -> ModelVersionRecord?

    /// All versions of the model, oldest first.
    func modelVersions(model: String) async throws -> [ModelVersionRecord]

    /// The experts of a model version (the latest when `version` is `nil`), oldest first: those
    /// created by the version and its parents (a rollback's parent is the version it restored).
    func experts(model: String, version: Int?) async throws -> [ExpertRecord]

    /// The gate version with this id, if any.
    func gateVersion(id: Int64) async throws -> GateVersionRecord?

    /// The detection evidence recorded by a job's phase, if any.
    func detection(jobID: Int64) async throws -> DetectionRecord?

    /// The detector's test against each domain it tested in a detection, in domain order
    /// (none for detections stored before evidence was kept).
    func detectionEvidence(detectionID: Int64) async throws -> [DetectionEvidenceRecord]

    /// The newest replay reservoir of each domain of the model, in domain order.
    func replayReservoirs(model: String) async throws -> [ReplayReservoirRecord]

    /// Every held-out split of the model, in order of commit.
    func heldOutSplits(model: String) async throws -> [HeldOutSplitRecord]

    // MARK: - Reports

    /// The expert's lineage from its parent up to the root (nearest first), by recursive CTE.
    func ancestors(ofExpert id: Int64) async throws -> [ExpertRecord]

    /// Every expert grown from this one, directly or not, breadth first, by recursive CTE.
    func descendants(ofExpert id: Int64) async throws -> [ExpertRecord]

    /// A metric of one domain across the model's versions, oldest first.
    func evaluationHistory(model: String, domain: String, metric: EvaluationMetric) async throws -> [EvaluationPoint]

    /// Every evaluation row of one version of the model (model-wide metrics and per-expert
    /// ones such as load shares), in domain order, then metric, then expert.
    func evaluations(model: String, version: Int) async throws -> [EvaluationRecord]

    /// A metric of every version on every domain (see ``AccuracyMatrix``).
    func accuracyMatrix(model: String, metric: EvaluationMetric) async throws -> AccuracyMatrix

    /// Audit-log entries, newest first: those of one job, or all when `jobID` is `nil`.
    func events(jobID: Int64?, limit: Int) async throws -> [EventRecord]

    // MARK: - Drift

    /// Records a tested window of a model's prediction inputs.
    /// - Throws: `StoreError.modelNotFound`, `.invalidArgument` (bad numbers or an unknown
    ///   version), `.unknownDomain`.
    func recordDriftWindow(_ window: DriftWindow) async throws -> DriftWindowRecord

    /// Records a drift event and its candidate rows (as a blob) in one transaction.
    /// - Throws: as ``recordDriftWindow(_:)``, and `.invalidArgument` when the candidate's size
    ///   does not match its rows or the windows are not the model's.
    func recordDriftEvent(_ event: DriftEvent) async throws -> DriftEventRecord

    /// Replaces drift event `id`'s candidate with `candidate` (its rows and more of the same
    /// run, `rows` in all), in one transaction; the replaced rows' blob is deleted when nothing
    /// else names it.
    /// - Throws: `.invalidArgument` when the event is not `model`'s, the candidate does not grow
    ///   or its size does not match `rows`; `StoreError.modelNotFound`.
    func extendDriftCandidate(model: String, event id: Int64, candidate: Data, rows: Int) async throws -> DriftEventRecord

    /// A model's tested windows before `beforeID` (from the latest when nil), newest first, at
    /// most `limit`: pass the last id of one page as `beforeID` for the next.
    func driftWindows(model: String, before beforeID: Int64?, limit: Int) async throws -> [DriftWindowRecord]

    /// A model's drift events, oldest first.
    func driftEvents(model: String) async throws -> [DriftEventRecord]

    // MARK: - Changes

    /// A value that differs once anything has been committed to the store since it was last
    /// read, by this process or any other, so that views computed from the store's rows can be
    /// kept until it changes; nil when the store cannot tell cheaply (views are then computed
    /// for every request).
    func changeStamp() async throws -> Int64?

    // MARK: - Health

    /// Checks that the stored data are sound (the file or database, and every reference
    /// between rows): `["ok"]`, else one line per problem.
    func integrityCheck() async throws -> [String]
}

// MARK: - Conveniences

extension Store {
    /// Claims the oldest queued job of any model, without a lease (see ``claimNextJob(after:lease:)``).
    public func claimNextJob() async throws -> JobRecord? {
        try await claimNextJob(after: nil, lease: nil)
    }

    /// Claims the next job in turn after `lastModel`, without a lease.
    public func claimNextJob(after lastModel: String?) async throws -> JobRecord? {
        try await claimNextJob(after: lastModel, lease: nil)
    }

    /// Marks a queued or running job `failed`, whoever holds it.
    public func fail(jobID: Int64, message: String) async throws -> JobRecord {
        try await fail(jobID: jobID, message: message, attempt: nil)
    }

    /// Jobs of every model in the given states (all jobs when `nil`), oldest first.
    public func jobs(states: Set<JobState>?) async throws -> [JobRecord] {
        try await jobs(model: nil, states: states)
    }

    /// Every job, oldest first.
    public func jobs() async throws -> [JobRecord] {
        try await jobs(model: nil, states: nil)
    }

    /// The accuracy of every version on every domain.
    public func accuracyMatrix(model: String) async throws -> AccuracyMatrix {
        try await accuracyMatrix(model: model, metric: .accuracy)
    }

    /// Records progress without a note.
    public func recordProgress(jobID: Int64, progress: Double) async throws {
        try await recordProgress(jobID: jobID, progress: progress, note: nil)
    }
}
