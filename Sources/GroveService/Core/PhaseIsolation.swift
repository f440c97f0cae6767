import Foundation

/// Where the job runner learns a phase.
public enum PhaseIsolation: Sendable {
    /// In the runner's own process. A crash in the phase (a malformed file that slips past a
    /// reader, memory running out) takes the process down with it; `grove demo` and in-process
    /// tests use it.
    case inProcess
    /// In a child process per job (`grove phase`), which writes its commit to the store itself.
    /// A child that dies fails its job with the cause named while the daemon, its API and its
    /// predictions carry on. The daemon uses it.
    case childProcess(PhaseProcessSettings)
}

/// How the daemon starts a phase child process.
public struct PhaseProcessSettings: Sendable {
    /// The `grove` executable that runs `grove phase`.
    public var executable: URL
    /// The lowest log level the child logs (its standard error is relayed to the daemon's).
    public var logLevel: String
    /// A cap on the child's address space in bytes (`RLIMIT_AS`), none when nil: a phase that
    /// needs more fails its job instead of making the machine swap or waking the OOM killer.
    public var memoryLimit: Int?
    /// How long a child asked to stop (SIGTERM) may take before it is killed (SIGKILL).
    public var stopGrace: Duration
    /// The store the child opens (the daemon's own).
    public var store: StoreLocation = .home

    /// Settings that run `executable`.
    public init(executable: URL, logLevel: String = "info", memoryLimit: Int? = nil, stopGrace: Duration = .seconds(30)) {
        self.executable = executable
        self.logLevel = logLevel
        self.memoryLimit = memoryLimit
        self.stopGrace = stopGrace
    }

    /// Settings that run this process's own executable (the daemon is `grove`).
    public static func current(logLevel: String = "info", memoryLimit: Int? = nil) -> PhaseProcessSettings {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "grove")
        return PhaseProcessSettings(executable: executable, logLevel: logLevel, memoryLimit: memoryLimit)
    }
}
