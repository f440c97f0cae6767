import GroveStore
import Hummingbird
import Metrics

extension GroveAPI {
    /// `GET /metrics`: refreshes the gauges, then answers the configured Prometheus rendering.
    ///
    /// Jobs per model and state come from the store's counters (``Store/jobCounts()``), not from
    /// reading every job; experts, domains and each domain's accuracy from the rows of the
    /// model's latest version, so every worker sharing a store exports the same figures. The
    /// watch on prediction inputs adds, per model, the latest window's p-value and median
    /// novelty (this worker's traffic); drift windows and events are counted as they happen.
    func metrics() async throws -> Response {
        let store = daemon.store
        var counts: [String: [JobState: Int]] = [:]
        for count in try await daemon.store.jobCounts() {
            counts[count.model, default: [:]][count.state] = count.count
        }
        for host in try await daemon.hosts.allHosts() {
            let model = host.name
            for state in JobState.allCases {
                Gauge(label: "grove_jobs", dimensions: [("model", model), ("state", state.rawValue)])
                    .record(counts[model]?[state] ?? 0)
            }
            let latest = try await store.latestModelVersion(model: model)
            let domains = try await store.domains(model: model)
            Gauge(label: "grove_experts", dimensions: [("model", model)]).record(latest?.expertCount ?? 0)
            Gauge(label: "grove_domains", dimensions: [("model", model)]).record(domains.count)
            if let figures = host.watchFigures {
                figures.lastPValue.map { Gauge(label: "grove_drift_window_p_value", dimensions: [("model", model)]).record($0) }
                figures.lastNovelty.map { Gauge(label: "grove_prediction_novelty", dimensions: [("model", model)]).record($0) }
            }
            guard let latest else { continue }
            let names = Dictionary(uniqueKeysWithValues: domains.map { ($0.id, $0.name) })
            for row in try await store.evaluations(model: model, version: latest.number) where row.metric == .accuracy && row.expertID == nil {
                guard let domain = names[row.domainID] else { continue }
                Gauge(label: "grove_domain_accuracy", dimensions: [("model", model), ("domain", domain)]).record(row.value)
            }
        }
        return JSONBody.text(configuration.metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
