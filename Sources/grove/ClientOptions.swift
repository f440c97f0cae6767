import ArgumentParser
import GroveService

/// Options every command that talks to the daemon shares: where it is and its token.
struct ClientOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The daemon's address (default $GROVE_SERVER or http://127.0.0.1:7878).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("A file holding the daemon's bearer token (default $GROVE_TOKEN).", valueName: "file"))
    var tokenFile: String?

    /// A client for the chosen daemon.
    /// - Throws: `ClientError` for a bad address or an unreadable token file.
    func makeClient() throws -> GroveClient {
        try GroveClient(server: GroveClient.defaultServer(server), token: try GroveClient.defaultToken(tokenFile: tokenFile))
    }
}
