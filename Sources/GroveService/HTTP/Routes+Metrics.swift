import GroveStore
import Hummingbird

extension GroveAPI {
    /// `GET /metrics`: refreshes the gauges, then answers the daemon's metrics in Prometheus
    /// text format (``GroveMetrics/text()``).
    ///
    /// Jobs per model and state come from the store's counters (``Store/jobCounts()``), not from
    /// reading every job; experts, domains and each domain's accuracy from the rows of the
    /// model's latest version, so every worker sharing a store exports the same figures. The
    /// watch on prediction inputs sets, per model, the latest window's p-value and median
    /// novelty (this worker's traffic) as it tests each window; drift windows and events are
    /// counted as they happen, and the windows it has yet to test are read at each scrape. The
    /// gauges read from the store are read again only when it has changed (``AnswerCache``).
    func metrics() async throws -> Response {
        try await answers.refresh("metrics") { try await refreshStoreGauges() }
        // Hosts not restored yet have no watch; listing every model would read the store.
        for host in await daemon.hosts.loaded() {
            if let backlog = host.watchBacklog { daemon.metrics.setWindowsWaiting(model: host.name, count: backlog) }
        }
        return JSONBody.text(daemon.metrics.text(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    /// Sets the gauges that come from the store's rows: jobs, sizes and accuracies per model.
    private func refreshStoreGauges() async throws {
        let store = daemon.store
        let metrics = daemon.metrics
        var counts: [String: [JobState: Int]] = [:]
        for count in try await daemon.store.jobCounts() {
            counts[count.model, default: [:]][count.state] = count.count
        }
        for host in try await daemon.hosts.allHosts() {
            let model = host.name
            for state in JobState.allCases {
                metrics.setJobs(counts[model]?[state] ?? 0, model: model, state: state)
            }
            let latest = try await store.latestModelVersion(model: model)
            let domains = try await store.domains(model: model)
            metrics.setSize(model: model, experts: latest?.expertCount ?? 0, domains: domains.count)
            guard let latest else { continue }
            let names = Dictionary(uniqueKeysWithValues: domains.map { ($0.id, $0.name) })
            for row in try await store.evaluations(model: model, version: latest.number) where row.metric == .accuracy && row.expertID == nil {
                guard let domain = names[row.domainID] else { continue }
                metrics.setAccuracy(row.value, model: model, domain: domain)
            }
        }
    }
}
