import Foundation
import GroveLearning
import GroveNumerics
import GroveStore
import Logging
import ServiceLifecycle

/// The worker: re-queues jobs a crash left running, then claims and runs one job at a time
/// until graceful shutdown, taking the models' queues in turn (one model's long queue never
/// starves another's). Each job learns on its model's host; the other models keep answering.
///
/// A worker alone on its store (SQLite: the home's lock guarantees it) re-queues every running
/// job at start. Workers sharing a store (``lease`` set) claim under a lease that they renew
/// while the phase runs, and re-queue only jobs whose lease ran out; a worker that loses its
/// lease stops its phase, and the store refuses that phase's commit anyway.
///
/// With ``PhaseIsolation/childProcess(_:)`` each phase runs in a `grove phase` child process
/// that commits to the store itself; the runner then serves the new version. A child that
/// dies (a signal, memory running out) fails its job with the cause named, and the daemon
/// carries on. A shutdown during a phase stops the phase between training steps without
/// committing anything; the job stays `running` and is re-queued on the next start.
public struct JobRunner: Service {
    let store: any Store
    let hosts: ModelHosts
    let home: GroveHome
    /// The files a phase may read (checked again when the phase starts).
    let access: DataAccess
    let logger: Logger
    /// Where phases run.
    let isolation: PhaseIsolation
    /// How long to wait when the queue is empty.
    let pollInterval: Duration
    /// A job that failed this many times stays failed.
    let maxAttempts: Int
    /// The lease this worker claims under when it shares its store, `nil` when alone.
    let lease: JobLease?
    /// Where finished jobs and committed phases' durations are counted.
    let metrics: GroveMetrics

    /// A runner over `store` for the models in `hosts`; with `lease`, one of several workers
    /// sharing the store. It counts the jobs it finishes in `metrics`.
    public init(store: any Store, hosts: ModelHosts, home: GroveHome, access: DataAccess, logger: Logger, isolation: PhaseIsolation = .inProcess,
                pollInterval: Duration = .milliseconds(100), maxAttempts: Int = 3, lease: JobLease? = nil, metrics: GroveMetrics = GroveMetrics()) {
        self.lease = lease
        self.store = store
        self.hosts = hosts
        self.home = home
        self.access = access
        self.logger = logger
        self.isolation = isolation
        self.pollInterval = pollInterval
        self.maxAttempts = maxAttempts
        self.metrics = metrics
    }

    /// Claims and runs jobs until graceful shutdown. A store error (busy, disk full) never
    /// stops the daemon: it is logged and the operation retried with backoff.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                if lease == nil {
                    let requeued = try await retryingStore("re-queue interrupted jobs") { [store, maxAttempts] in
                        try await store.requeueInterrupted(maxAttempts: maxAttempts)
                    }
                    logRequeued(requeued, why: "after an interruption")
                }
                var lastModel: String?
                var lastExpiryCheck = ContinuousClock.now - .seconds(60)
                while !Task.isCancelled {
                    if lease != nil, ContinuousClock.now - lastExpiryCheck >= .seconds(1) {
                        lastExpiryCheck = .now
                        let requeued = try await retryingStore("re-queue jobs of dead workers") { [store, maxAttempts] in
                            try await store.requeueExpired(maxAttempts: maxAttempts)
                        }
                        logRequeued(requeued, why: "after its worker's lease ran out")
                    }
                    let claimed = try await retryingStore("claim a job") { [store, lastModel, lease] in
                        try await store.claimNextJob(after: lastModel, lease: lease)
                    }
                    guard let job = claimed else {
                        try await Task.sleep(for: pollInterval)
                        continue
                    }
                    lastModel = job.model
                    await execute(job)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: stopping is the expected outcome, not an error.
        }
    }

    /// Runs `operation` until it succeeds or fails for a reason other than the database (a
    /// job in the wrong state, say), waiting 0.1 s, 0.2 s, … up to 30 s between tries and
    /// logging each failure.
    func retryingStore<T: Sendable>(_ what: String, _ operation: @Sendable () async throws -> T) async throws -> T {
        var delay = Duration.milliseconds(100)
        while true {
            do {
                return try await operation()
            } catch let error as StoreError where error.isTransient {
                logger.error("store operation failed; retrying", metadata: [
                    "store.operation": "\(what)", "error": "\(error.description)",
                    "retry.seconds": "\(String(format: "%.1f", Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18))",
                ])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
    }

    private func logRequeued(_ jobs: [JobRecord], why: String) {
        for job in jobs {
            logger.info("job re-queued \(why)", metadata: ["job.id": "\(job.id)", "job.state": "\(job.state.rawValue)"])
        }
    }

    /// Runs one job and records its outcome; never throws (a failed job is data, not an error).
    /// Under a lease, renews it every third of its length while the phase runs, and stops the
    /// phase when it is lost.
    func execute(_ job: JobRecord) async {
        guard let lease else { return await executePhase(job) }
        let phase = Task { await executePhase(job) }
        let renewal = Task { [store, logger] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(lease.seconds / 3))
                guard !Task.isCancelled else { return }
                do {
                    _ = try await store.renewLease(jobID: job.id, lease: lease)
                } catch StoreError.leaseLost {
                    logger.error("lease lost; stopping the phase", metadata: ["job.id": "\(job.id)"])
                    phase.cancel()
                    return
                } catch {
                    logger.warning("could not renew the lease; trying again", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
                }
            }
        }
        await withTaskCancellationHandler {
            await phase.value
        } onCancel: {
            phase.cancel()
        }
        renewal.cancel()
    }

    private func executePhase(_ job: JobRecord) async {
        switch isolation {
        case .inProcess: await executeInProcess(job)
        case .childProcess(let settings): await executeInChild(job, settings: settings)
        }
    }

    private func executeInProcess(_ job: JobRecord) async {
        let start = Stopwatch.now()
        logger.info("phase started", metadata: ["job.id": "\(job.id)", "job.model": "\(job.model)", "job.source": "\(job.source)"])
        do {
            let store = self.store
            let host = try await hosts.host(named: job.model)
            // Another worker may have committed this model's last phase.
            try await host.catchUp(with: store)
            let files = lease == nil ? nil : SharedDatasetFiles(store: store, home: home)
            let report = try await PhaseExecutor(store: store, host: host, access: access, sharedFiles: files).run(job) { fraction in
                try? await store.recordProgress(jobID: job.id, progress: fraction)
            }
            recordCommitted(job, since: start, metadata: [
                "phase.domain": "\(report.domain)", "phase.decision": "\(report.detection.decision.rawValue)",
                "phase.grown": "\(report.grown)",
            ])
        } catch is CancellationError {
            logger.info("phase stopped by shutdown; the job runs again on restart", metadata: ["job.id": "\(job.id)"])
        } catch {
            await recordFailure(of: job, message: (error as? any GroveError)?.description ?? "\(error)")
        }
    }

    /// Runs the job's phase in a child process. Until its outcome is settled (a committed
    /// version served), the API shows the job `running`.
    private func executeInChild(_ job: JobRecord, settings: PhaseProcessSettings) async {
        await hosts.beginInstalling(job.id)
        await runChild(job, settings: settings)
        await hosts.endInstalling(job.id)
    }

    private func runChild(_ job: JobRecord, settings: PhaseProcessSettings) async {
        let start = Stopwatch.now()
        let child: PhaseChildProcess
        do {
            child = try PhaseChildProcess.start(job: job, home: home, access: access, config: hosts.config, settings: settings)
        } catch {
            await recordFailure(of: job, message: (error as? any GroveError)?.description ?? "\(error)")
            return
        }
        logger.info("phase started", metadata: ["job.id": "\(job.id)", "job.model": "\(job.model)", "job.source": "\(job.source)",
                                                "phase.pid": "\(child.pid)"])
        // A job cancelled through the API stops its child; the store already says `cancelled`.
        let watch = Task { [store, pollInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: pollInterval * 5)
                if let now = try? await store.job(id: job.id), now.state == .cancelled {
                    child.stop()
                    return
                }
            }
        }
        let ended = await withTaskCancellationHandler {
            await child.wait()
        } onCancel: {
            child.stop()
        }
        watch.cancel()
        guard !Task.isCancelled else {
            logger.info("phase stopped by shutdown; the job runs again on restart", metadata: ["job.id": "\(job.id)"])
            return
        }
        await settle(job, after: ended, of: child, settings: settings, since: start)
    }

    /// Reads what the child recorded and acts on it: serves a committed version, or fails a job
    /// the child left `running` with the cause of its death.
    private func settle(_ job: JobRecord, after ended: PhaseTermination, of child: PhaseChildProcess, settings: PhaseProcessSettings,
                        since start: UInt64) async {
        do {
            let recorded = try await retryingStore("read a job's outcome") { [store] in try await store.job(id: job.id) }
            switch recorded?.state {
            case .succeeded:
                try await hosts.host(named: job.model).restore(from: store)
                recordCommitted(job, since: start, metadata: [:])
            case .failed:
                let message = recorded?.error ?? "failed"
                countFailure(of: job, message: message)
                InboxWatcher.recordFailure(of: job, message: message, home: home)
            case .cancelled:
                logger.info("phase stopped: the job was cancelled", metadata: ["job.id": "\(job.id)"])
            case .running where child.wasStopped:
                logger.info("phase stopped before its commit", metadata: ["job.id": "\(job.id)"])
            case .running, .queued, nil:
                let cause = ended.explanation(memoryLimit: settings.memoryLimit)
                await recordFailure(of: job, message: ServiceError.phaseCrashed(cause: cause).description)
            }
        } catch {
            logger.error("could not read the phase's outcome", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
        }
    }

    private func recordCommitted(_ job: JobRecord, since start: UInt64, metadata: Logger.Metadata) {
        let elapsed = Stopwatch.now() - start
        metrics.phaseCommitted(model: job.model, after: .nanoseconds(elapsed))
        logger.info("phase committed", metadata: metadata.merging([
            "job.id": "\(job.id)", "job.model": "\(job.model)", "phase.seconds": "\(String(format: "%.2f", Double(elapsed) / 1e9))",
        ]) { $1 })
    }

    private func countFailure(of job: JobRecord, message: String) {
        metrics.jobFailed(model: job.model)
        logger.error("phase failed", metadata: ["job.id": "\(job.id)", "job.model": "\(job.model)", "error": "\(message)"])
    }

    /// Marks the job failed with `message` and hands an inbox file its error.
    private func recordFailure(of job: JobRecord, message: String) async {
        countFailure(of: job, message: message)
        do {
            let attempt = lease == nil ? nil : job.attempts
            _ = try await retryingStore("record a failure") { [store] in try await store.fail(jobID: job.id, message: message, attempt: attempt) }
            InboxWatcher.recordFailure(of: job, message: message, home: home)
        } catch StoreError.leaseLost {
            logger.info("the job is no longer this worker's; its failure is not recorded", metadata: ["job.id": "\(job.id)"])
        } catch {
            logger.error("could not record the failure", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
        }
    }
}
