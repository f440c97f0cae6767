import ArgumentParser
import Foundation
import GroveLearning
import GroveNumerics
import GroveService
import Logging

/// `grove daemon`: the long-running service — job runner, inbox watcher and HTTP API in one
/// service group, until SIGTERM or SIGINT.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run the service: learn submitted datasets one job at a time, for every model, and serve the HTTP API.",
        discussion: "Stops gracefully on SIGTERM or SIGINT: no new requests, and a running phase stops without a partial commit (it runs again on the next start)."
    )

    @Option(help: ArgumentHelp("The home directory (default $GROVE_HOME or ~/.grove).", valueName: "dir"))
    var home: String?

    @Option(help: ArgumentHelp("The store: 'sqlite' (the home's grove.sqlite) or a postgres:// URL that several daemons share (default $GROVE_STORE, else sqlite).", valueName: "store"))
    var store: String?

    @Option(help: ArgumentHelp("With a PostgreSQL store: seconds a claimed job's lease lasts; a worker renews it every third of that, and another worker takes the job of one that stopped renewing.", valueName: "seconds"))
    var leaseSeconds: Double = 30

    @Option(help: ArgumentHelp("The address to serve the API on.", valueName: "host:port"))
    var listen = "127.0.0.1:7878"

    @Option(help: ArgumentHelp("A file holding the bearer token every request but /healthz must carry.", valueName: "file"))
    var tokenFile: String?

    @Option(help: ArgumentHelp("A directory whose files jobs may name by path (repeatable); without it, only uploaded files are read.", valueName: "dir"))
    var dataRoot: [String] = []

    @Option(help: ArgumentHelp("Cap each phase process's address space (e.g. 4G, 512M): a phase that needs more fails its job.", valueName: "size"))
    var phaseMemoryLimit: String?

    @OptionGroup(title: "Dataset caps") var readerCaps: ReaderCapOptions

    @OptionGroup(title: "Watch on prediction inputs") var watch: WatchOptions

    @Option(help: ArgumentHelp("The largest upload (POST /v1/files) in bytes.", valueName: "bytes"))
    var maxUploadBytes = GroveHTTPConfiguration().maxBodySize

    @Option(help: ArgumentHelp("The largest POST /v1/jobs body in bytes.", valueName: "bytes"))
    var maxJobBytes = GroveHTTPConfiguration().maxJobBodySize

    @Option(help: ArgumentHelp("The largest predict body in bytes.", valueName: "bytes"))
    var maxPredictBytes = GroveHTTPConfiguration().maxPredictBodySize

    @Option(help: ArgumentHelp("The most rows one predict request may hold.", valueName: "rows"))
    var maxPredictRows = GroveHTTPConfiguration().maxPredictRows

    @Option(help: ArgumentHelp("Seconds a connection may send nothing (between requests or inside one) before it is closed.", valueName: "seconds"))
    var idleTimeout = 30

    @Option(help: ArgumentHelp("Seconds a client has to send a request's head (method, path, headers) after connecting or after its previous answer.", valueName: "seconds"))
    var readTimeout = 10

    @Option(help: ArgumentHelp("The most connections served at once; more wait until one closes.", valueName: "count"))
    var maxConnections = GroveHTTPConfiguration().maxConnections

    @Option(help: ArgumentHelp("The lowest level logged: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'; choose trace, debug, info, notice, warning, error or critical")
        }
        guard leaseSeconds.isFinite, leaseSeconds >= 1 else {
            throw ValidationError("--lease-seconds must be at least 1 (got \(leaseSeconds))")
        }
        if let phaseMemoryLimit, ByteSize.parse(phaseMemoryLimit) == nil {
            throw ValidationError("--phase-memory-limit '\(phaseMemoryLimit)' is not a size; write e.g. 4G, 512M or 1073741824")
        }
    }

    func run() async throws {
        try await reportingErrors {
            var configuration = GroveHTTPConfiguration()
            try configuration.listen(on: listen)
            if let tokenFile { configuration.token = try Self.readToken(tokenFile) }
            configuration.maxBodySize = maxUploadBytes
            configuration.maxJobBodySize = maxJobBytes
            configuration.maxPredictBodySize = maxPredictBytes
            configuration.maxPredictRows = maxPredictRows
            configuration.idleTimeout = .seconds(idleTimeout)
            configuration.readTimeout = .seconds(readTimeout)
            configuration.maxConnections = maxConnections
            try configuration.check()
            let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
            bootstrapStandardErrorLogging(level: level)
            // Each product on one OpenBLAS thread, whichever runs first: concurrent predictions
            // share the cores, and only a phase raises the count around a large product.
            BLAS.setThreads(1)

            let logger = Logger(label: "grove.daemon")
            let home = GroveHome(path: home ?? GroveHome.defaultPath)
            let location = try StoreLocation(store)
            var phases = PhaseProcessSettings.current(logLevel: level.rawValue, memoryLimit: phaseMemoryLimit.flatMap(ByteSize.parse))
            phases.store = location
            let daemon = try await GroveDaemon.open(home: home, store: location, leaseSeconds: leaseSeconds, config: LifelongConfig(), logger: logger,
                                                    isolation: .childProcess(phases),
                                                    dataRoots: dataRoot, readerLimits: readerCaps.limits, watch: watch.settings)
            logger.info("daemon listening", metadata: [
                "http.address": "\(configuration.host):\(configuration.port)", "grove.home": "\(home.root.path)", "grove.store": "\(location)",
                "http.token": "\(configuration.token == nil ? "none" : "required")",
                "blas.core": "\(BLAS.coreName)", "blas.core_source": "\(BLAS.coreSource.rawValue)", "blas.threads": "\(BLAS.productThreads)",
            ])
            let app = makeGroveApplication(daemon: daemon, configuration: configuration, logger: logger)
            // Commands given only --home find the daemon through this note while it serves.
            let pid = getpid()
            try DaemonFile(host: configuration.host, port: configuration.port, pid: pid).write(to: home)
            defer { DaemonFile.remove(from: home, pid: pid) }
            try await app.runService()
            logger.info("daemon stopped")
        }
    }

    /// The token in `path` (surrounding whitespace removed).
    /// - Throws: `ClientError.unreadableFile` when the file is missing or empty.
    static func readToken(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ClientError.unreadableFile(path: path, reason: "no such file or not UTF-8 text")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ClientError.unreadableFile(path: path, reason: "the token file is empty") }
        return token
    }
}
