@testable import GroveService
import GroveStore
import GroveTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /metrics`: every family with its help and type, names after Prometheus' conventions,
/// requests labelled by route template.
@Suite struct MetricsTests {
    /// Records once through every recorder, so that a family added to ``GroveMetric`` without
    /// a way to record it (or recorded under another definition) fails here.
    @Test func everyFamilyIsExportedWithItsHelpAndType() {
        let metrics = GroveMetrics()
        metrics.requests.record(endpoint: "/v1/jobs", method: .get, status: 200, duration: .microseconds(300))
        metrics.phaseCommitted(model: "default", after: .seconds(2))
        metrics.jobFailed(model: "default")
        metrics.driftWindowTested(model: "default")
        metrics.driftEventRaised(model: "default")
        metrics.setJobs(3, model: "default", state: .queued)
        metrics.setSize(model: "default", experts: 2, domains: 2)
        metrics.setAccuracy(0.75, model: "default", domain: "pets")
        metrics.setLatestWindow(model: "default", pValue: 0.002, novelty: 1.4)
        metrics.setWindowsWaiting(model: "default", count: 3)

        let exposition = MetricsExposition(metrics.text())
        #expect(exposition.problems.isEmpty, "\(exposition.problems)")
        #expect(Set(exposition.families.keys) == Set(GroveMetric.allCases.map(\.name)))
        for metric in GroveMetric.allCases {
            let family = exposition.families[metric.name]
            #expect(family?.help == metric.help, "\(metric.name)")
            switch metric.kind {
            case .counter:
                #expect(family?.type == "counter" && metric.name.hasSuffix("_total"), "\(metric.name)")
            case .gauge:
                #expect(family?.type == "gauge" && !metric.name.hasSuffix("_total"), "\(metric.name)")
            case .histogram(let buckets):
                #expect(family?.type == "histogram" && metric.name.hasSuffix("_seconds"), "\(metric.name)")
                #expect(buckets == buckets.sorted() && Set(buckets).count == buckets.count, "\(metric.name)")
            }
        }
        #expect(exposition.families["grove_http_request_duration_seconds"]?.samples
            .contains(#"grove_http_request_duration_seconds_bucket{method="GET",route="/v1/jobs",le="0.0005"} 1"#) == true)
        #expect(exposition.families["grove_phase_duration_seconds"]?.samples
            .contains(#"grove_phase_duration_seconds_bucket{model="default",le="1.0"} 0"#) == true)
    }

    /// Answers are counted and timed under the template of the route that matched, never the
    /// raw path; requests no route matched share `unmatched`, and unknown methods `other`.
    @Test func requestsAreRecordedByMethodAndRouteTemplate() async throws {
        try await HTTPFixture.withRouter { client, _ in
            #expect(try await client.send(.get, "/v1/jobs/12345").status == .notFound)
            #expect(try await client.send(.get, "/v1/jobs/678").status == .notFound)
            #expect(try await client.send(.get, "/no/such/path").status == .notFound)
            #expect(try await client.send(.delete, "/v1/jobs").status == .methodNotAllowed)
            let brew = try #require(HTTPRequest.Method("BREW"))
            #expect(try await client.send(brew, "/no/such/path").status == .notFound)
            #expect(try await client.send(.get, "/healthz").status == .ok)

            let text = try await client.send(.get, "/metrics").text
            let exposition = MetricsExposition(text)
            #expect(exposition.problems.isEmpty, "\(exposition.problems)")
            let requests = exposition.families["grove_http_requests_total"]?.samples ?? []
            #expect(Set(requests) == [
                #"grove_http_requests_total{method="GET",route="/v1/jobs/{id}",status="404"} 2"#,
                #"grove_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
                #"grove_http_requests_total{method="DELETE",route="unmatched",status="405"} 1"#,
                #"grove_http_requests_total{method="other",route="unmatched",status="404"} 1"#,
                #"grove_http_requests_total{method="GET",route="/healthz",status="200"} 1"#,
            ], "\(text)")
            let counts = exposition.families["grove_http_request_duration_seconds"]?.samples.filter { $0.contains("_count{") } ?? []
            #expect(Set(counts) == [
                #"grove_http_request_duration_seconds_count{method="GET",route="/v1/jobs/{id}"} 2"#,
                #"grove_http_request_duration_seconds_count{method="GET",route="unmatched"} 1"#,
                #"grove_http_request_duration_seconds_count{method="DELETE",route="unmatched"} 1"#,
                #"grove_http_request_duration_seconds_count{method="other",route="unmatched"} 1"#,
                #"grove_http_request_duration_seconds_count{method="GET",route="/healthz"} 1"#,
            ], "\(text)")
            #expect(text.contains(#"grove_jobs{model="default",state="queued"} 0.0"#), "\(text)")
        }
    }

    /// The check the tests above rely on finds a family without help or type, and reads a
    /// histogram's `_bucket`, `_sum` and `_count` samples as its own.
    @Test func theCheckFindsFamiliesWithoutHelpOrType() {
        let exposition = MetricsExposition("""
            # HELP a_total Counted.
            # TYPE a_total counter
            a_total 1
            # TYPE b gauge
            b 2
            c 3
            # HELP d_seconds Timed.
            # TYPE d_seconds histogram
            d_seconds_bucket{le="+Inf"} 1
            d_seconds_sum 0.5
            d_seconds_count 1
            """)
        #expect(exposition.problems == ["b has no HELP", "c has no HELP", "c has no TYPE"])
        #expect(exposition.families["d_seconds"]?.samples.count == 3)
        #expect(Set(exposition.families.keys) == ["a_total", "b", "c", "d_seconds"])
    }
}
