import GroveLearning
import GroveStore
import Logging
import Synchronization

/// The daemon's models by name, one ``ModelHost`` each.
///
/// A model exists once a job names it (or a phase created it); `default` always exists, so
/// that the unscoped routes answer on an empty home. A host is restored from the store the
/// first time it is asked for; the daemon calls ``allHosts()`` at start to restore every
/// model. Asking for a host never waits for a phase: a phase learns off every actor and only
/// installs its result on its own model's host.
///
/// ```swift
/// let hosts = ModelHosts(store: store, config: LifelongConfig())
/// try await hosts.allHosts()
/// let digits = try await hosts.host(named: "digits")   // throws unknownModel before any job names it
/// ```
public actor ModelHosts {
    /// The store the models are restored from.
    public nonisolated let store: any Store
    /// Settings of every model's phases.
    public nonisolated let config: LifelongConfig
    private var hosts: [String: ModelHost] = [:] {
        didSet { restoredHosts.withLock { $0 = hosts } }
    }
    /// ``hosts``, for lookups that do not wait for the actor (every prediction makes one).
    private let restoredHosts = Mutex<[String: ModelHost]>([:])
    private var restoring: [String: Task<ModelHost, any Error>] = [:]
    private var installing: Set<Int64> = []
    /// How each model's prediction inputs are watched; nil when they are not.
    private let watch: WatchSettings?
    /// Where every model's drift events are posted, if anywhere.
    private let webhook: DriftWebhook?
    /// Where the watches count their windows and events.
    private let metrics: GroveMetrics
    private let logger: Logger

    /// An empty registry over `store`; hosts are restored when first asked for. With `watch`,
    /// each model's prediction inputs are watched for distributions it does not know, and its
    /// drift events posted to `watch.webhook` when one is set; the watches count their windows
    /// and events in `metrics`.
    /// - Throws: `ClientError.invalidServer` for a webhook URL that is not http(s).
    public init(store: any Store, config: LifelongConfig, watch: WatchSettings? = nil, metrics: GroveMetrics = GroveMetrics(),
                logger: Logger = Logger(label: "grove.watch")) throws {
        self.store = store
        self.config = config
        self.watch = watch?.enabled == true ? watch : nil
        self.webhook = try self.watch?.webhook.map { try DriftWebhook(settings: $0, logger: logger) }
        self.metrics = metrics
        self.logger = logger
    }

    /// The name of every model, sorted: `default`, those a job names and those a phase created.
    /// (A name that breaks the rule, from a store written before the rule, is left out: its
    /// jobs fail with ``ServiceError/invalidModelName(_:)`` when they run.)
    /// - Throws: a `StoreError`.
    public func names() async throws -> [String] {
        try await Self.names(in: store)
    }

    /// The host of every model (see ``names()``) in name order, restoring those not restored yet.
    /// - Throws: a `StoreError` or `SnapshotError`.
    @discardableResult
    public func allHosts() async throws -> [ModelHost] {
        var restored: [ModelHost] = []
        for name in try await names() {
            restored.append(try await host(named: name))
        }
        return restored
    }

    /// The host of the model `name`, restored from the store on first use.
    /// - Throws: ``ServiceError/invalidModelName(_:)``, ``ServiceError/unknownModel(name:known:)``
    ///   when no job names it, or a `StoreError` / `SnapshotError` from restoring it.
    public func host(named name: String) async throws -> ModelHost {
        try ModelName.validate(name)
        if let host = hosts[name] { return host }
        if let pending = restoring[name] { return try await pending.value }
        let task = Task { [store, config, watch, webhook, metrics, logger] in
            let known = try await Self.names(in: store)
            guard known.contains(name) else { throw ServiceError.unknownModel(name: name, known: known) }
            let watcher = watch.map { PredictionWatch(model: name, settings: $0, store: store, webhook: webhook, metrics: metrics, logger: logger) }
            let host = ModelHost(name: name, config: config, store: store, watch: watcher)
            try await host.restore(from: store)
            return host
        }
        // Callers arriving while it restores wait for the same task, so a model is restored once.
        restoring[name] = task
        defer { restoring[name] = nil }
        let host = try await task.value
        hosts[name] = host
        return host
    }

    /// The host of `name` if it has been restored, read without waiting for the actor; nil
    /// otherwise (``host(named:)`` then restores it).
    public nonisolated func restored(named name: String) -> ModelHost? {
        restoredHosts.withLock { $0[name] }
    }

    /// The hosts restored so far (not those still restoring).
    public func loaded() -> [ModelHost] {
        hosts.keys.sorted().compactMap { hosts[$0] }
    }

    /// The host of `name` if it has been restored, without restoring it.
    public func loadedHost(named name: String) -> ModelHost? {
        hosts[name]
    }

    /// Marks job `id` as one whose phase a child process may commit before its host serves
    /// the new version; until ``endInstalling(_:)`` the API shows it `running` (see
    /// ``presented(_:)``), so that a client that sees it succeed also sees the new version.
    public func beginInstalling(_ id: Int64) { installing.insert(id) }

    /// Ends ``beginInstalling(_:)`` once the host serves the job's version (or the job failed).
    public func endInstalling(_ id: Int64) { installing.remove(id) }

    /// `jobs` as the API shows them: a job whose commit is not served yet is still `running`.
    public func presented(_ jobs: [JobRecord]) -> [APIJob] {
        jobs.map { job in
            var shown = APIJob(job)
            if job.state == .succeeded, installing.contains(job.id) {
                shown.state = .running
                shown.progress = min(job.progress, 0.99)
            }
            return shown
        }
    }

    /// The valid names of `store`'s models and `default`, sorted.
    private static func names(in store: any Store) async throws -> [String] {
        Set(try await store.modelNames()).filter(ModelName.isValid).union([ModelName.standard]).sorted()
    }
}
