import ArgumentParser
import Foundation
import GroveService

/// Options every command that talks to the daemon shares: the home, the daemon's address, its
/// token and the model addressed.
///
/// The daemon is `--server`, else `$GROVE_SERVER`, else the one serving the home (its
/// `daemon.json`), else the default address. Read-only commands read the home's database
/// directly when no daemon serves it (none was started, or it was killed), and a shared
/// PostgreSQL store (`--store` or `$GROVE_STORE`) directly unless a server is named.
struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The home directory (default $GROVE_HOME or ~/.grove): its daemon is used, or its database when none runs.", valueName: "dir"))
    var home: String?

    @Option(help: ArgumentHelp("The daemon's address (default $GROVE_SERVER, the home's daemon or http://127.0.0.1:7878).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("Read-only commands: read this store directly, 'sqlite' (the home's) or a postgres:// URL (default $GROVE_STORE).", valueName: "store"))
    var store: String?

    @Option(help: ArgumentHelp("A file holding the daemon's bearer token (default $GROVE_TOKEN).", valueName: "file"))
    var tokenFile: String?

    @Option(help: ArgumentHelp("The model (default 'default'; submit: a manifest's own model; jobs: every model).", valueName: "name"))
    var model: String?

    /// The model addressed: `--model`, else `default`.
    var modelName: String { model ?? ModelName.standard }

    func validate() throws {
        if let model, !ModelName.isValid(model) {
            throw ValidationError(ServiceError.invalidModelName(model).description)
        }
    }

    /// The address given by `--server` or `$GROVE_SERVER`, if any.
    private var explicitServer: String? {
        if let server, !server.isEmpty { return server }
        if let env = ProcessInfo.processInfo.environment["GROVE_SERVER"], !env.isEmpty { return env }
        return nil
    }

    private var groveHome: GroveHome { GroveHome(path: home ?? GroveHome.defaultPath) }

    /// A client for the chosen daemon.
    /// - Throws: `ClientError` for a bad address or an unreadable token file.
    func makeClient() throws -> GroveClient {
        let address = explicitServer ?? DaemonFile.read(from: groveHome)?.url ?? GroveClient.fallbackServer
        return try GroveClient(server: address, token: try GroveClient.defaultToken(tokenFile: tokenFile))
    }

    /// Where a read-only command reads: the chosen daemon, or the home's database when the
    /// home has one and no daemon answers for it.
    /// - Throws: `ClientError`, or a `StoreError` / `SnapshotError` from the database.
    func makeReader() async throws -> HomeReader {
        if explicitServer != nil { return .daemon(try makeClient()) }
        let home = groveHome
        let location = try StoreLocation(store)
        if case .postgres = location {
            return .local(try await HomeViews.openReadOnly(home: home, store: location))
        }
        let token = try GroveClient.defaultToken(tokenFile: tokenFile)
        if let note = DaemonFile.read(from: home) {
            let client = try GroveClient(server: note.url, token: token)
            let probe = try GroveClient(server: note.url, timeout: 5)
            if (try? await probe.health()) == true { return .daemon(client) }
        }
        if FileManager.default.fileExists(atPath: home.database.path) {
            return .local(try await HomeViews.openReadOnly(home: home))
        }
        return .daemon(try GroveClient(server: GroveClient.fallbackServer, token: token))
    }
}
