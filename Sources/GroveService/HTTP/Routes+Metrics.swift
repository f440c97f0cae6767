import GroveStore
import Hummingbird
import Metrics

extension GroveAPI {
    /// `GET /metrics`: refreshes the gauges (each model's jobs by state, experts, domains and
    /// each domain's latest accuracy), then answers the configured Prometheus rendering.
    func metrics() async throws -> Response {
        let jobs = try await daemon.store.jobs(states: nil)
        for host in try await daemon.hosts.allHosts() {
            let model = host.name
            for state in JobState.allCases {
                Gauge(label: "grove_jobs", dimensions: [("model", model), ("state", state.rawValue)])
                    .record(jobs.count { $0.model == model && $0.state == state })
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
