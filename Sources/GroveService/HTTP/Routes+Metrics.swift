import GroveStore
import Hummingbird
import Metrics

extension GroveAPI {
    /// `GET /metrics`: refreshes the gauges, then answers the configured Prometheus rendering.
    ///
    /// Jobs per model and state come from the store's counters (``Store/jobCounts()``), not from
    /// reading every job; experts, domains and each domain's latest accuracy from the models'
    /// learners in memory.
    func metrics() async throws -> Response {
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
            let learner = await host.learner
            Gauge(label: "grove_experts", dimensions: [("model", model)]).record(learner.model?.experts.count ?? 0)
            Gauge(label: "grove_domains", dimensions: [("model", model)]).record(learner.domains.count)
            for evaluation in learner.phases.last?.evaluations ?? [] {
                Gauge(label: "grove_domain_accuracy", dimensions: [("model", model), ("domain", evaluation.domain)]).record(evaluation.accuracy)
            }
        }
        return JSONBody.text(configuration.metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
