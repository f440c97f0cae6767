import Foundation
import GroveData
import GroveLearning
import GroveStore
import Logging
import ServiceLifecycle

/// The pieces of a running daemon for one home: the home's lock, the store, the live models,
/// durable intake, and the background services (job runner, inbox watcher, garbage
/// collection). The HTTP server is added by the caller as one more service of the same group.
public struct GroveDaemon: Sendable {
    /// The home directory.
    public let home: GroveHome
    /// The home's lock, held while any copy of this value lives (see ``HomeLock``).
    public let lock: HomeLock
    /// The opened, migrated store.
    public let store: any Store
    /// The live models, one host each.
    public let hosts: ModelHosts
    /// Durable intake.
    public let submissions: Submissions
    /// Job runner, inbox watcher and garbage collection (a pass at start, then hourly).
    public let services: [any Service]
    /// What the daemon records for `GET /metrics`: requests, jobs, phases and the watch.
    public let metrics: GroveMetrics

    /// Locks the home, then opens (or creates) it, opens and migrates the store (the home's
    /// SQLite file unless `location` names a server) and restores the latest
    /// version of every model in it. Nothing in the home is touched before the lock is taken,
    /// so a second process refused here leaves the first one's jobs alone. Phases run as
    /// `isolation` says (in process unless told otherwise); specs may name uploads and files
    /// under `dataRoots`, read within `readerLimits` (see ``DataAccess``). Each model's
    /// prediction inputs are watched for unknown distributions as `watch` says.
    /// - Throws: ``HomeLockError/held(home:pid:)`` when another process serves the home,
    ///   `ServiceError.unusableHome`, `.unusableDataRoot`, a `StoreError` or a `SnapshotError`.
    public static func open(home: GroveHome, store location: StoreLocation = .home, leaseSeconds: Double = 30,
                            config: LifelongConfig = LifelongConfig(), logger: Logger, isolation: PhaseIsolation = .inProcess,
                            dataRoots: [String] = [], readerLimits: ReaderLimits = .standard,
                            pollInterval: Duration = .milliseconds(100), watch: WatchSettings = WatchSettings()) async throws -> GroveDaemon {
        let lock = try HomeLock.acquire(home)
        try home.prepare()
        let access = try DataAccess(home: home, roots: dataRoots, limits: readerLimits)
        let store = try await location.open(home: home)
        let metrics = GroveMetrics()
        let hosts = try ModelHosts(store: store, config: config, watch: watch, metrics: metrics, logger: logger)
        try await hosts.allHosts()
        let submissions = Submissions(home: home, store: store, access: access, sharesFiles: location.isShared)
        // A server store may have other workers: claim under leases and follow their commits.
        let shared = location.isShared
        let lease = shared ? JobLease(owner: JobLease.newOwner(), seconds: leaseSeconds) : nil
        let runner = JobRunner(store: store, hosts: hosts, home: home, access: access, logger: logger, isolation: isolation,
                               pollInterval: pollInterval, lease: lease, metrics: metrics)
        let inbox = InboxWatcher(home: home, submissions: submissions, logger: logger)
        let collection = CollectionService(collector: GarbageCollector(home: home, store: store), logger: logger)
        let follower: [any Service] = shared ? [HeadFollower(store: store, hosts: hosts, logger: logger)] : []
        return GroveDaemon(home: home, lock: lock, store: store, hosts: hosts, submissions: submissions,
                           services: [runner, inbox, collection] + follower, metrics: metrics)
    }
}
