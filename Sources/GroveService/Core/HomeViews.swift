import Foundation
import GroveData
import GroveLearning
import GroveNumerics
import GroveReport
import GroveStore

/// The read-only views of a Grove home that the API serves: status, jobs, domains, experts,
/// the report and predictions, computed from the home's store and its live model.
///
/// The daemon's routes answer with these, and the CLI computes the same views itself when no
/// daemon runs for a home (`grove report --home DIR`), so both print the same thing.
///
/// ```swift
/// let views = try await HomeViews.openReadOnly(home: GroveHome(path: "/var/lib/grove"))
/// print(try await views.report(format: .table))
/// ```
public struct HomeViews: Sendable {
    /// The home's store.
    public let store: any Store
    /// The model the views describe.
    public let host: ModelHost

    /// Views over an open store and the model it hosts.
    public init(store: any Store, host: ModelHost) {
        self.store = store
        self.host = host
    }

    /// Opens the store of `home` read-only (no migration, no writes) and restores the latest
    /// committed version of `model`.
    /// - Throws: `ServiceError.noHome` when the home has no database; a `StoreError` or
    ///   `SnapshotError` when it cannot be read.
    public static func openReadOnly(home: GroveHome, model: String = "default", config: LifelongConfig = LifelongConfig()) async throws -> HomeViews {
        let path = home.database.path
        guard FileManager.default.fileExists(atPath: path) else { throw ServiceError.noHome(path: home.root.path) }
        var configuration = SQLiteStore.Configuration()
        configuration.readonly = true
        let store = try SQLiteStore.open(path: path, configuration: configuration)
        let host = ModelHost(name: model, config: config)
        try await host.restore(from: store)
        return HomeViews(store: store, host: host)
    }

    /// The model's latest version and size, job counts per state and the running job.
    public func status() async throws -> APIStatus {
        let learner = await host.learner
        let version = try await store.latestModelVersion(model: host.name)
        let jobs = try await store.jobs(states: nil)
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, 0) })
        for job in jobs { counts[job.state.rawValue, default: 0] += 1 }
        let running = jobs.first { $0.state == .running }.map(APIJob.init)
        return APIStatus(model: host.name, version: version?.number, experts: learner.model?.experts.count ?? 0,
                         domains: learner.domains.count, jobs: counts, running: running)
    }

    /// Jobs in `states` (all when nil), oldest first.
    public func jobs(states: Set<JobState>?) async throws -> [APIJob] {
        try await store.jobs(states: states).map(APIJob.init)
    }

    /// One job.
    /// - Throws: `StoreError.jobNotFound`.
    public func job(id: Int64) async throws -> APIJob {
        guard let job = try await store.job(id: id) else { throw StoreError.jobNotFound(id: id) }
        return APIJob(job)
    }

    /// Known domains in order of appearance, with the latest phase's accuracy.
    public func domains() async -> [APIDomain] {
        let (learner, labels) = await (host.learner, host.labels)
        let latest = learner.phases.last
        return learner.domains.map { domain in
            let evaluation = latest?.evaluations.first { $0.domain == domain.name }
            return APIDomain(name: domain.name, experts: domain.experts, classes: Self.names(domain.classes.sorted(), labels: labels),
                             firstPhase: domain.firstPhase, accuracy: evaluation?.accuracy,
                             routingAccuracy: evaluation?.routingAccuracy)
        }
    }

    /// Every expert with its lineage, oldest first.
    public func experts() async -> [APIExpert] {
        let (learner, labels) = await (host.learner, host.labels)
        var createdIn: [Int: Int] = [:]
        for phase in learner.phases {
            for id in phase.grown where createdIn[id] == nil { createdIn[id] = phase.index }
        }
        return (learner.model?.experts ?? []).map { expert in
            APIExpert(id: expert.id, parent: expert.parent, domain: expert.domain, createdPhase: createdIn[expert.id],
                      frozen: expert.isFrozen, classes: Self.names(expert.classes, labels: labels),
                      parameters: expert.shape.parameterCount)
        }
    }

    /// The model's report in `format`, each phase named by the job that committed it.
    /// - Throws: a `StoreError` or `ReportError`.
    public func report(format: ReportFormat) async throws -> String {
        let learner = await host.learner
        // Version n was committed by phase n - 1.
        let versions = try await store.modelVersions(model: host.name)
        var jobs: [Int: Int] = [:]
        if versions.count == learner.phases.count {
            for (index, version) in versions.enumerated() {
                if let job = version.jobID { jobs[index] = Int(job) }
            }
        }
        return try Report(learner: learner, model: host.name, jobs: jobs).render(format)
    }

    /// The most probable label of each row of `x` and the experts chosen for it.
    /// - Throws: `ServiceError.noModel` before the first phase, `.badInput` for a wrong width.
    public func predict(_ x: Matrix) async throws -> [Prediction] {
        try await host.predict(x)
    }

    /// `value` as the API encodes it: sorted keys, ISO-8601 dates, unescaped slashes.
    public static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Label names of model-wide class indices (the index itself when a label has no name).
    static func names(_ classes: [Int32], labels: LabelRegistry) -> [String] {
        classes.map { labels.name(of: $0) ?? String($0) }
    }
}
