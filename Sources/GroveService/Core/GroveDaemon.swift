import Foundation
import GroveLearning
import GroveStore
import Logging
import ServiceLifecycle

/// The pieces of a running daemon for one home: the store, the live models, durable intake,
/// and the background services (job runner, inbox watcher). The HTTP server is added by the
/// caller as one more service of the same group.
public struct GroveDaemon: Sendable {
    /// The home directory.
    public let home: GroveHome
    /// The opened, migrated store.
    public let store: SQLiteStore
    /// The live models, one host each.
    public let hosts: ModelHosts
    /// Durable intake.
    public let submissions: Submissions
    /// Job runner and inbox watcher.
    public let services: [any Service]

    /// Opens (or creates) the home, migrates the store and restores the latest version of
    /// every model in it. Phases run as `isolation` says (in process unless told otherwise);
    /// specs may name uploads and files under `dataRoots` (see ``DataAccess``).
    /// - Throws: `ServiceError.unusableHome`, `.unusableDataRoot`, a `StoreError` or a `SnapshotError`.
    public static func open(home: GroveHome, config: LifelongConfig = LifelongConfig(), logger: Logger, isolation: PhaseIsolation = .inProcess,
                            dataRoots: [String] = [], pollInterval: Duration = .milliseconds(100)) async throws -> GroveDaemon {
        try home.prepare()
        let access = try DataAccess(home: home, roots: dataRoots)
        let store = try SQLiteStore.open(home: home.root)
        let hosts = ModelHosts(store: store, config: config)
        try await hosts.allHosts()
        let submissions = Submissions(home: home, store: store, access: access)
        let runner = JobRunner(store: store, hosts: hosts, home: home, access: access, logger: logger, isolation: isolation, pollInterval: pollInterval)
        let inbox = InboxWatcher(home: home, submissions: submissions, logger: logger)
        return GroveDaemon(home: home, store: store, hosts: hosts, submissions: submissions, services: [runner, inbox])
    }
}
