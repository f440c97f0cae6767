import Foundation
import GroveLearning
import GroveNumerics
import GroveStore
import Logging
import Metrics
import ServiceLifecycle

/// The worker: re-queues jobs a crash left running, then claims and runs one job at a time
/// until graceful shutdown, taking the models' queues in turn (one model's long queue never
/// starves another's). Each job learns on its model's host; the other models keep answering.
/// A shutdown during a phase stops the phase between training steps without committing
/// anything; the job stays `running` and is re-queued on the next start.
public struct JobRunner: Service {
    let store: any Store
    let hosts: ModelHosts
    let home: GroveHome
    let logger: Logger
    /// How long to wait when the queue is empty.
    let pollInterval: Duration
    /// A job that failed this many times stays failed.
    let maxAttempts: Int

    /// A runner over `store` for the models in `hosts`.
    public init(store: any Store, hosts: ModelHosts, home: GroveHome, logger: Logger, pollInterval: Duration = .milliseconds(100), maxAttempts: Int = 3) {
        self.store = store
        self.hosts = hosts
        self.home = home
        self.logger = logger
        self.pollInterval = pollInterval
        self.maxAttempts = maxAttempts
    }

    public func run() async throws {
        let requeued = try await store.requeueInterrupted(maxAttempts: maxAttempts)
        for job in requeued {
            logger.info("job re-queued after an interruption", metadata: ["job.id": "\(job.id)", "job.state": "\(job.state.rawValue)"])
        }
        do {
            try await cancelWhenGracefulShutdown {
                var lastModel: String?
                while !Task.isCancelled {
                    guard let job = try await store.claimNextJob(after: lastModel) else {
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

    /// Runs one job and records its outcome; never throws (a failed job is data, not an error).
    func execute(_ job: JobRecord) async {
        let start = Stopwatch.now()
        logger.info("phase started", metadata: ["job.id": "\(job.id)", "job.model": "\(job.model)", "job.source": "\(job.source)"])
        do {
            let store = self.store
            let host = try await hosts.host(named: job.model)
            let report = try await PhaseExecutor(store: store, host: host).run(job) { fraction in
                try? await store.recordProgress(jobID: job.id, progress: fraction)
            }
            let seconds = Double(Stopwatch.now() - start) / 1e9
            Timer(label: "grove_phase_duration_seconds", dimensions: [("model", job.model)]).recordNanoseconds(Int64(Stopwatch.now() - start))
            Counter(label: "grove_jobs_total", dimensions: [("model", job.model), ("state", "succeeded")]).increment()
            logger.info("phase committed", metadata: [
                "job.id": "\(job.id)", "job.model": "\(job.model)", "phase.domain": "\(report.domain)",
                "phase.decision": "\(report.detection.decision.rawValue)", "phase.grown": "\(report.grown)",
                "phase.seconds": "\(String(format: "%.2f", seconds))",
            ])
        } catch is CancellationError {
            logger.info("phase stopped by shutdown; the job runs again on restart", metadata: ["job.id": "\(job.id)"])
        } catch {
            let message = (error as? any GroveError)?.description ?? "\(error)"
            Counter(label: "grove_jobs_total", dimensions: [("model", job.model), ("state", "failed")]).increment()
            logger.error("phase failed", metadata: ["job.id": "\(job.id)", "job.model": "\(job.model)", "error": "\(message)"])
            do {
                _ = try await store.fail(jobID: job.id, message: message)
                InboxWatcher.recordFailure(of: job, message: message, home: home)
            } catch {
                logger.error("could not record the failure", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            }
        }
    }
}
