import Foundation
import GroveLearning
import GroveStore
import Synchronization

/// One `grove phase` child process learning one claimed job.
///
/// The child's standard error is relayed line by line to the daemon's, so its log joins the
/// daemon's; the first line that says why it crashed (the Swift runtime's `Fatal error:`, the
/// backtracer's `Program crashed:`, an allocation failure) is kept for the job's error.
/// The child watches the daemon's process id and exits when the daemon is gone, so a daemon
/// killed with SIGKILL leaves no orphan.
///
/// ```swift
/// let child = try PhaseChildProcess.start(job: job, home: home, config: config, settings: settings)
/// let ended = await child.wait()     // child.stop() from elsewhere asks it to stop
/// ```
final class PhaseChildProcess: Sendable {
    /// The child's process id.
    let pid: Int32
    private let settings: PhaseProcessSettings
    private let exit: ExitSignal
    private let ended: Task<PhaseTermination, Never>
    private let stopping = Atomic<Bool>(false)

    private init(pid: Int32, settings: PhaseProcessSettings, exit: ExitSignal, ended: Task<PhaseTermination, Never>) {
        self.pid = pid
        self.settings = settings
        self.exit = exit
        self.ended = ended
    }

    /// Starts `grove phase` for `job` (which must be `running`, claimed by this daemon).
    /// - Throws: ``ServiceError/phaseNotStarted(reason:)`` when the executable cannot be run.
    static func start(job: JobRecord, home: GroveHome, access: DataAccess, config: LifelongConfig,
                      settings: PhaseProcessSettings) throws -> PhaseChildProcess {
        let configJSON = String(decoding: (try? JSONEncoder().encode(config)) ?? Data("{}".utf8), as: UTF8.self)
        var arguments = ["phase", "--home", home.root.path, "--job", String(job.id), "--parent-pid", String(getpid()),
                         "--log-level", settings.logLevel, "--config", configJSON]
        if let limit = settings.memoryLimit { arguments += ["--memory-limit", String(limit)] }
        for root in access.roots { arguments += ["--data-root", root] }
        if access.limits != .standard, let limits = try? JSONEncoder().encode(access.limits) {
            arguments += ["--reader-limits", String(decoding: limits, as: UTF8.self)]
        }
        let process = Process()
        process.executableURL = settings.executable
        process.arguments = arguments
        process.environment = settings.store.childEnvironment()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.standardError
        let errors = Pipe()
        process.standardError = errors
        let relay = StandardErrorRelay(reading: errors.fileHandleForReading)
        let oomKillsBefore = OutOfMemoryCounter.kills()
        let exit = ExitSignal()
        process.terminationHandler = { finished in
            exit.finish(finished.terminationReason == .uncaughtSignal ? .signalled(finished.terminationStatus) : .exited(finished.terminationStatus))
        }
        do {
            try process.run()
        } catch {
            throw ServiceError.phaseNotStarted(reason: "\(settings.executable.path): \(error.localizedDescription)")
        }
        try? errors.fileHandleForWriting.close()
        relay.start()
        let ended = Task {
            let cause = await exit.value
            let crashLine = await relay.finished()
            let oom = OutOfMemoryCounter.kills().map { now in oomKillsBefore.map { now > $0 } ?? false } ?? false
            return PhaseTermination(cause: cause, crashLine: crashLine, outOfMemory: oom)
        }
        return PhaseChildProcess(pid: process.processIdentifier, settings: settings, exit: exit, ended: ended)
    }

    /// Asks the child to stop between training steps without committing (SIGTERM), and kills
    /// it (SIGKILL) if it has not ended after the settings' grace period. Idempotent.
    func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        kill(pid, SIGTERM)
        let (pid, grace, exit) = (pid, settings.stopGrace, exit)
        Task {
            try? await Task.sleep(for: grace)
            // Once reaped, the id may belong to another process: kill only a child still running.
            if !exit.hasFinished { kill(pid, SIGKILL) }
        }
    }

    /// Whether ``stop()`` was called.
    var wasStopped: Bool { stopping.load(ordering: .relaxed) }

    /// How the child ended (waits for it, and for its standard error to be read to the end).
    func wait() async -> PhaseTermination {
        await ended.value
    }
}

/// How a phase child process ended.
struct PhaseTermination: Sendable, Equatable {
    /// Exit status or signal.
    enum Cause: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    var cause: Cause
    /// The first line of the child's standard error that says why it crashed, if any.
    var crashLine: String?
    /// Whether the kernel's out-of-memory killer killed a process of the daemon's cgroup while
    /// the child ran.
    var outOfMemory: Bool
}

/// A one-shot value set by `Process`'s termination handler (on a Foundation thread) and
/// awaited by a task.
private final class ExitSignal: Sendable {
    private let state = Mutex<(cause: PhaseTermination.Cause?, waiter: CheckedContinuation<PhaseTermination.Cause, Never>?)>((nil, nil))

    func finish(_ cause: PhaseTermination.Cause) {
        let waiter = state.withLock { state -> CheckedContinuation<PhaseTermination.Cause, Never>? in
            state.cause = cause
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: cause)
    }

    /// Whether the process has ended.
    var hasFinished: Bool { state.withLock { $0.cause != nil } }

    var value: PhaseTermination.Cause {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> PhaseTermination.Cause? in
                    if state.cause == nil { state.waiter = continuation }
                    return state.cause
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
