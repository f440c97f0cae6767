import GroveStore
import Hummingbird
import Metrics

extension GroveAPI {
    /// `GET /metrics`: refreshes the gauges (jobs by state, experts, each domain's latest
    /// accuracy), then answers the configured Prometheus rendering.
    func metrics() async throws -> Response {
        let jobs = try await daemon.store.jobs(states: nil)
        for state in JobState.allCases {
            Gauge(label: "grove_jobs", dimensions: [("state", state.rawValue)]).record(jobs.count { $0.state == state })
        }
        let learner = await daemon.host.learner
        Gauge(label: "grove_experts").record(learner.model?.experts.count ?? 0)
        Gauge(label: "grove_domains").record(learner.domains.count)
        for evaluation in learner.phases.last?.evaluations ?? [] {
            Gauge(label: "grove_domain_accuracy", dimensions: [("domain", evaluation.domain)]).record(evaluation.accuracy)
        }
        return JSONBody.text(configuration.metricsText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
