import ArgumentParser
import Dispatch
import Foundation
import GroveData
import GroveLearning
import GroveService
import Logging

/// `grove phase`: learns one job that a daemon claimed, in a process of its own, so that a
/// crash in the phase fails the job instead of the daemon. The daemon starts it; it is not
/// meant to be run by hand.
struct PhaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase",
        abstract: "Learn one claimed job in this process (started by the daemon for each job).",
        discussion: "Exits 0 when the phase is committed, 1 when the job failed (its message recorded), 2 when nothing could be recorded, 3 when stopped by SIGTERM before its commit. Exits at once when the daemon (--parent-pid) is gone.",
        shouldDisplay: false
    )

    @Option(help: ArgumentHelp("The home directory.", valueName: "dir"))
    var home: String

    @Option(help: ArgumentHelp("The running job to learn.", valueName: "id"))
    var job: Int64

    @Option(help: ArgumentHelp("The daemon's process id: exit when it is gone.", valueName: "pid"))
    var parentPID: Int32?

    @Option(help: ArgumentHelp("The learner settings as JSON (the defaults when absent).", valueName: "json"))
    var config: String?

    @Option(help: ArgumentHelp("Cap the address space at this many bytes.", valueName: "bytes"))
    var memoryLimit: Int?

    @Option(help: ArgumentHelp("A directory outside the home the job's files may be in (repeatable).", valueName: "dir"))
    var dataRoot: [String] = []

    @Option(help: ArgumentHelp("The readers' caps as JSON (the defaults when absent).", valueName: "json"))
    var readerLimits: String?

    @Option(help: ArgumentHelp("The lowest level logged.", valueName: "level"))
    var logLevel = "info"

    func run() async throws {
        if let parentPID { ParentWatch.exitWhenGone(parentPID) }
        if let memoryLimit {
            var limit = rlimit(rlim_cur: rlim_t(memoryLimit), rlim_max: rlim_t(memoryLimit))
            guard setrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0 else {
                throw ValidationError("cannot cap the address space at \(memoryLimit) bytes: \(String(cString: strerror(errno)))")
            }
        }
        let settings: LifelongConfig
        do {
            settings = try config.map { try JSONDecoder().decode(LifelongConfig.self, from: Data($0.utf8)) } ?? LifelongConfig()
        } catch {
            throw ValidationError("--config is not a learner configuration: \(error.localizedDescription)")
        }
        let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        bootstrapStandardErrorLogging(level: level)
        let logger = Logger(label: "grove.phase")
        let home = GroveHome(path: home)
        let limits: ReaderLimits
        do {
            limits = try readerLimits.map { try JSONDecoder().decode(ReaderLimits.self, from: Data($0.utf8)) } ?? .standard
        } catch {
            throw ValidationError("--reader-limits is not a set of reader caps: \(error.localizedDescription)")
        }
        let access = try DataAccess(home: home, roots: dataRoot, limits: limits)
        // The daemon names its store in GROVE_STORE (a server URL stays off the command line).
        let store: StoreLocation
        do {
            store = try StoreLocation(nil)
        } catch {
            throw ValidationError("\(StoreLocation.environmentVariable): \(error)")
        }
        let job = job
        let phase = Task { await PhaseWorker.run(home: home, store: store, jobID: job, access: access, config: settings, logger: logger) }
        // The daemon relays SIGTERM (shutdown, a cancelled job); SIGINT from a terminal reaches
        // the daemon too, which then stops this phase itself.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let termination = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        termination.setEventHandler { phase.cancel() }
        termination.resume()
        let outcome = await phase.value
        termination.cancel()
        throw ExitCode(outcome.rawValue)
    }
}

/// Ends this process when the process that started it is gone (its parent id changes).
enum ParentWatch {
    /// Checks every 200 ms on a thread of its own; exits at once if `pid` is already gone.
    static func exitWhenGone(_ pid: Int32) {
        guard getppid() == pid else { exit(70) }
        let thread = Thread {
            while getppid() == pid { usleep(200_000) }
            _exit(70)
        }
        thread.name = "grove.phase.parent-watch"
        thread.start()
    }
}
