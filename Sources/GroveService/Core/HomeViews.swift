import Foundation
import GroveData
import GroveLearning
import GroveModel
import GroveNumerics
import GroveReport
import GroveStore

/// The read-only views of a Grove home that the API serves: its models, and each model's
/// status, jobs, domains, experts, report and predictions, computed from the home's store and
/// the live models.
///
/// The daemon's routes answer with these, and the CLI computes the same views itself when no
/// daemon runs for a home (`grove report --home DIR`), so both print the same thing.
///
/// ```swift
/// let views = try await HomeViews.openReadOnly(home: GroveHome(path: "/var/lib/grove"))
/// print(try await views.report(model: "digits", format: .table))
/// ```
///
/// Every per-model view throws ``ServiceError/unknownModel(name:known:)`` for a model that no
/// job names and ``ServiceError/invalidModelName(_:)`` for a name that breaks the rule.
public struct HomeViews: Sendable {
    /// The home's store.
    public let store: any Store
    /// The models the views describe.
    public let hosts: ModelHosts

    /// Views over an open store and the models it hosts.
    public init(store: any Store, hosts: ModelHosts) {
        self.store = store
        self.hosts = hosts
    }

    /// Opens the store of `home` read-only (no migration, no writes); each model is restored
    /// from its latest committed version when first viewed.
    /// - Throws: ``ServiceError/noHome(path:)`` when the home has no database; a `StoreError`
    ///   when it cannot be opened.
    public static func openReadOnly(home: GroveHome, store location: StoreLocation = .home,
                                    config: LifelongConfig = LifelongConfig()) async throws -> HomeViews {
        let store = try await location.openReadOnly(home: home)
        return HomeViews(store: store, hosts: try ModelHosts(store: store, config: config))
    }

    /// Every model in name order (a model that only has queued jobs too), with its size and
    /// latest version, from the store's rows.
    public func models() async throws -> [APIModelSummary] {
        var summaries: [APIModelSummary] = []
        for host in try await hosts.allHosts() {
            let record = try await store.model(named: host.name)
            let version = try await store.latestModelVersion(model: host.name)
            summaries.append(APIModelSummary(name: host.name, inputDimension: record?.inputDimension,
                                             domains: try await store.domains(model: host.name).count,
                                             experts: version?.expertCount ?? 0, version: version?.number,
                                             classes: record?.labels.count ?? 0, features: await host.features))
        }
        return summaries
    }

    /// The model's latest version and size, its job counts per state and its running job, from
    /// the store's rows.
    public func status(model: String) async throws -> APIStatus {
        let host = try await hosts.host(named: model)
        let version = try await store.latestModelVersion(model: host.name)
        let domains = try await store.domains(model: host.name).count
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, 0) })
        for count in try await store.jobCounts() where count.model == host.name { counts[count.state.rawValue] = count.count }
        let running = try await store.jobs(model: host.name, states: [.running], after: 0, limit: 1).first.map(APIJob.init)
        return APIStatus(model: host.name, version: version?.number, experts: version?.expertCount ?? 0,
                         domains: domains, jobs: counts, running: running,
                         blas: APIBLAS(core: BLAS.coreName, coreSource: BLAS.coreSource, threads: BLAS.productThreads))
    }

    /// Jobs of `model` (of every model when `nil`) in `states` (all when `nil`), oldest first.
    /// A model no job names has no jobs.
    /// - Throws: ``ServiceError/invalidModelName(_:)``, or a `StoreError`.
    public func jobs(model: String?, states: Set<JobState>?) async throws -> [APIJob] {
        if let model { try ModelName.validate(model) }
        return await hosts.presented(try await store.jobs(model: model, states: states))
    }

    /// One job.
    /// - Throws: `StoreError.jobNotFound`.
    public func job(id: Int64) async throws -> APIJob {
        guard let job = try await store.job(id: id) else { throw StoreError.jobNotFound(id: id) }
        return await hosts.presented([job])[0]
    }

    /// The latest version evaluated on every domain's whole held-out set, read from the store
    /// chunk by chunk and computed off the actors.
    /// - Throws: ``ServiceError/invalidModelName(_:)``, ``ServiceError/unknownModel(name:known:)``,
    ///   or a `StoreError` / `SnapshotError` from reading the held-out rows.
    public func evaluation(model: String) async throws -> APIEvaluation {
        let host = try await hosts.host(named: model)
        let learner = await host.learner
        let version = try await store.latestModelVersion(model: host.name)
        let evaluations = try await PhaseExecutor.offPool { try learner.evaluateFully() }
        let domains = evaluations.map {
            APIEvaluation.Domain(name: $0.domain, samples: $0.samples, accuracy: $0.accuracy, loss: $0.loss,
                                 routingAccuracy: $0.routingAccuracy)
        }
        let average = domains.isEmpty ? nil : domains.map(\.accuracy).reduce(0, +) / Double(domains.count)
        return APIEvaluation(model: host.name, version: version?.number, averageAccuracy: average, domains: domains)
    }

    /// The model's known domains in order of appearance, read from the store's rows: each
    /// domain's experts (by number), the classes they answer, the phase that first learned it,
    /// and the latest version's accuracy and routing accuracy on it.
    public func domains(model: String) async throws -> [APIDomain] {
        let host = try await hosts.host(named: model)
        let rows = try await store.domains(model: host.name)
        guard !rows.isEmpty else { return [] }
        let versions = try await store.modelVersions(model: host.name)
        let experts = try await store.experts(model: host.name, version: nil)
        let labels = try await store.model(named: host.name)?.labels ?? []
        let latest = versions.map(\.number).max()
        let accuracy = try await store.accuracyMatrix(model: host.name, metric: .accuracy)
        let routing = try await store.accuracyMatrix(model: host.name, metric: .routingAccuracy)
        let firstVersion = Dictionary(versions.map { ($0.domainID, $0.number) }, uniquingKeysWith: min)
        let expertsOf = Dictionary(grouping: experts, by: \.domainID)
        // A domain row is written in the transaction of the version that first learned it.
        return rows.compactMap { row in
            guard let first = firstVersion[row.id] else { return nil }
            let own = expertsOf[row.id] ?? []
            return APIDomain(name: row.name, experts: own.map(\.number),
                             classes: Set(own.flatMap(\.classes)).sorted().map { Self.label($0, in: labels) },
                             firstPhase: first - 1,
                             accuracy: latest.flatMap { accuracy.value(version: $0, domain: row.name) },
                             routingAccuracy: latest.flatMap { routing.value(version: $0, domain: row.name) })
        }
    }

    /// Every expert of the model with its lineage, oldest first, read from the store's rows
    /// of the latest version: an expert's id is its number within the model, its creation phase
    /// is the phase that committed the version it was created in.
    public func experts(model: String) async throws -> [APIExpert] {
        let host = try await hosts.host(named: model)
        let rows = try await store.experts(model: host.name, version: nil)
        guard !rows.isEmpty else { return [] }
        let labels = try await store.model(named: host.name)?.labels ?? []
        let domains = Dictionary(try await store.domains(model: host.name).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let versions = Dictionary(try await store.modelVersions(model: host.name).map { ($0.id, $0.number) }, uniquingKeysWith: { a, _ in a })
        let numbers = Dictionary(rows.map { ($0.id, $0.number) }, uniquingKeysWith: { a, _ in a })
        return rows.map { row in
            APIExpert(id: row.number, parent: row.parentID.flatMap { numbers[$0] }, domain: domains[row.domainID],
                      createdPhase: versions[row.createdVersionID].map { $0 - 1 }, frozen: row.isFrozen,
                      classes: row.classes.map { Self.label($0, in: labels) },
                      parameters: ExpertShape(inputs: row.inputDimension, hidden: row.hiddenDimension, outputs: row.outputDimension).parameterCount)
        }
    }

    /// The model's report in `format`, built from the store's rows (see ``StoreReport``), each
    /// phase named by the job that committed it.
    /// - Throws: a `ServiceError`, `StoreError` or `ReportError`.
    public func report(model: String, format: ReportFormat) async throws -> String {
        let host = try await hosts.host(named: model)
        return try await StoreReport.build(model: host.name, from: store).render(format)
    }

    /// The model's most probable label of each row of `x` and the experts chosen for it.
    /// - Throws: ``ServiceError/noModel(name:)`` before the model's first phase, `.badInput`
    ///   for a wrong width.
    public func predict(model: String, _ x: Matrix) async throws -> [Prediction] {
        try await hosts.host(named: model).predict(x)
    }

    /// The version of `model` that predicts now, for predictions computed off every actor.
    /// - Throws: ``ServiceError/noModel(name:)`` before the model's first phase, and what
    ///   ``ModelHosts/host(named:)`` throws.
    public func served(model: String) async throws -> ServedModel {
        let host: ModelHost
        if let restored = hosts.restored(named: model) { host = restored } else { host = try await hosts.host(named: model) }
        guard let served = host.served else { throw ServiceError.noModel(name: host.name) }
        return served
    }

    /// `value` as the API encodes it: sorted keys, ISO-8601 dates, unescaped slashes.
    public static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// The name the store's `labels` give class `index` (the index itself when it has none).
    static func label(_ index: Int, in labels: [String]) -> String {
        index >= 0 && index < labels.count && !labels[index].isEmpty ? labels[index] : String(index)
    }
}
