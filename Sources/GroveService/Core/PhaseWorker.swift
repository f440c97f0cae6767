import Foundation
import GroveLearning
import GroveNumerics
import GroveStore
import Logging

/// The child side of crash containment: learns one job that a daemon claimed, in a process of
/// its own (`grove phase`), and records the outcome in the store itself.
///
/// The phase commits in one transaction and marks the job `succeeded`; a typed failure marks
/// it `failed` with its one-line message. A stop (the task cancelled, on SIGTERM) writes
/// nothing and leaves the job `running` for the daemon to decide. If the process dies, the
/// job stays `running` and the daemon fails it naming the cause.
public enum PhaseWorker {
    /// How the worker ended; the process exit status is the raw value.
    public enum Outcome: Int32, Sendable {
        /// The phase is committed.
        case committed = 0
        /// The job failed; its message is recorded.
        case failed = 1
        /// Nothing could be recorded (the store cannot be opened, the job is not running).
        case unusable = 2
        /// Stopped before committing; nothing written.
        case stopped = 3
    }

    /// Learns job `jobID` of the store at `location` (the home's own by default); the job must
    /// be `running`, and its spec may name only files `access` allows.
    public static func run(home: GroveHome, store location: StoreLocation = .home, jobID: Int64, access: DataAccess,
                           config: LifelongConfig, logger: Logger) async -> Outcome {
        let store: any Store
        let job: JobRecord
        do {
            store = try await location.open(home: home)
            guard let found = try await store.job(id: jobID) else {
                logger.error("no such job", metadata: ["job.id": "\(jobID)"])
                return .unusable
            }
            job = found
        } catch {
            logger.error("cannot open the store", metadata: ["grove.home": "\(home.root.path)", "error": "\(error)"])
            return .unusable
        }
        guard job.state == .running else {
            logger.error("the job is not running", metadata: ["job.id": "\(jobID)", "job.state": "\(job.state.rawValue)"])
            return .unusable
        }
        do {
            let host = try await ModelHosts(store: store, config: config).host(named: job.model)
            let files = location.isShared ? SharedDatasetFiles(store: store, home: home) : nil
            _ = try await PhaseExecutor(store: store, host: host, access: access, sharedFiles: files).run(job) { fraction in
                try? await store.recordProgress(jobID: job.id, progress: fraction)
            }
            return .committed
        } catch is CancellationError {
            return .stopped
        } catch {
            let message = (error as? any GroveError)?.description ?? "\(error)"
            do {
                _ = try await store.fail(jobID: job.id, message: message, attempt: location.isShared ? job.attempts : nil)
            } catch {
                // Cancelled, or claimed again by another worker, meanwhile: the job's state says what happened.
                logger.error("could not record the failure", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            }
            return .failed
        }
    }
}
