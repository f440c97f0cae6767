import Prometheus

/// Every metric family the daemon exports, with its name, help text, type and label names: the
/// one list of them.
///
/// Series are made only through the registry methods below, which take a family from here, so
/// every family is exported with its `# HELP` and `# TYPE` lines, and each name is registered
/// with one help text only (swift-prometheus stops the process when a name is registered
/// twice with different help texts, types or buckets).
enum GroveMetric: String, CaseIterable, Sendable {
    /// Counter: answers by method, route and status.
    case httpRequests = "grove_http_requests_total"
    /// Histogram: time to answer, by method and route.
    case httpRequestDuration = "grove_http_request_duration_seconds"
    /// Gauge: jobs in the store by model and state.
    case jobs = "grove_jobs"
    /// Counter: jobs this daemon's phases ended, by model and outcome.
    case jobsFinished = "grove_jobs_finished_total"
    /// Histogram: how long committed phases took, by model.
    case phaseDuration = "grove_phase_duration_seconds"
    /// Gauge: the latest version's experts, by model.
    case experts = "grove_experts"
    /// Gauge: known domains, by model.
    case domains = "grove_domains"
    /// Gauge: the latest version's accuracy on each domain.
    case domainAccuracy = "grove_domain_accuracy_ratio"
    /// Counter: windows the watch tested, by model.
    case driftWindows = "grove_drift_windows_total"
    /// Counter: drift events the watch raised, by model.
    case driftEvents = "grove_drift_events_total"
    /// Gauge: the latest tested window's p-value, by model.
    case driftWindowPValue = "grove_drift_window_p_value"
    /// Gauge: the latest tested window's median novelty, by model.
    case driftWindowNovelty = "grove_drift_window_median_novelty"
    /// Gauge: full windows the watch has yet to test, by model.
    case driftWindowsWaiting = "grove_drift_windows_waiting"

    /// A family's Prometheus type; a histogram's bucket bounds come with it.
    enum Kind: Equatable, Sendable {
        /// Only goes up (name ends in `_total`).
        case counter
        /// Goes up and down.
        case gauge
        /// Observations counted in cumulative buckets of the given upper bounds.
        case histogram(buckets: [Duration])
    }

    /// The exported name.
    var name: String { rawValue }

    /// The family's type.
    var kind: Kind {
        switch self {
        case .httpRequests, .jobsFinished, .driftWindows, .driftEvents: .counter
        case .jobs, .experts, .domains, .domainAccuracy, .driftWindowPValue, .driftWindowNovelty, .driftWindowsWaiting: .gauge
        case .httpRequestDuration: .histogram(buckets: Self.requestBuckets)
        case .phaseDuration: .histogram(buckets: Self.phaseBuckets)
        }
    }

    /// The label names, in the order series take their values.
    var labels: [String] {
        switch self {
        case .httpRequests: ["method", "route", "status"]
        case .httpRequestDuration: ["method", "route"]
        case .jobs, .jobsFinished: ["model", "state"]
        case .domainAccuracy: ["model", "domain"]
        case .phaseDuration, .experts, .domains, .driftWindows, .driftEvents, .driftWindowPValue, .driftWindowNovelty, .driftWindowsWaiting:
            ["model"]
        }
    }

    /// The `# HELP` text.
    var help: String {
        switch self {
        case .httpRequests:
            "Requests answered, by method, route template (unmatched when no route matched) and status code."
        case .httpRequestDuration:
            "Seconds from a request reaching the router to its answer being ready (a streamed body is sent after), by method and route template."
        case .jobs: "Jobs in the store in each state, per model."
        case .jobsFinished: "Jobs this daemon ran that ended since it started, per model, by outcome (succeeded or failed)."
        case .phaseDuration: "Seconds each phase this daemon committed took, from its start to its commit, per model."
        case .experts: "Experts in the model's latest version."
        case .domains: "Domains the model has learned."
        case .domainAccuracy: "Accuracy (0 to 1) of the model's latest version on each domain's evaluation sample."
        case .driftWindows: "Windows of prediction inputs this daemon's watch tested, per model."
        case .driftEvents: "Drift events this daemon's watch raised, per model."
        case .driftWindowPValue: "P-value of the latest window of prediction inputs this daemon's watch tested, per model."
        case .driftWindowNovelty: "Median novelty of the rows of the latest window this daemon's watch tested (about 1 for known domains), per model."
        case .driftWindowsWaiting:
            "Full windows of prediction inputs this daemon's watch has yet to test, the one under test included, per model (up to 10: once 8 wait, further rows are sampled into the window being filled)."
        }
    }

    /// Request latency bounds: the fast routes answer in 0.1 to 1 ms, uploads and phases'
    /// reports take seconds.
    static let requestBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// Phase length bounds: a small dataset's phase takes a second, a large one an hour.
    static let phaseBuckets: [Duration] = [
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        .seconds(60), .seconds(120), .seconds(300), .seconds(600), .seconds(1800), .seconds(3600),
    ]

    /// The name and help text as swift-prometheus takes them.
    var descriptor: MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// `values` paired with ``labels``.
    func labeled(_ values: [String]) -> [(String, String)] {
        assert(values.count == labels.count, "\(name) takes the labels \(labels), given \(values)")
        return Array(zip(labels, values))
    }
}

extension PrometheusCollectorRegistry {
    /// The series of counter `metric` with label values `values` (in the order of ``GroveMetric/labels``).
    func counter(_ metric: GroveMetric, _ values: String...) -> Counter {
        assert(metric.kind == .counter, "\(metric.name) is not a counter")
        return makeCounter(descriptor: metric.descriptor, labels: metric.labeled(values))
    }

    /// The series of gauge `metric` with label values `values` (in the order of ``GroveMetric/labels``).
    func gauge(_ metric: GroveMetric, _ values: String...) -> Gauge {
        assert(metric.kind == .gauge, "\(metric.name) is not a gauge")
        return makeGauge(descriptor: metric.descriptor, labels: metric.labeled(values))
    }

    /// The series of histogram `metric` with label values `values` (in the order of ``GroveMetric/labels``).
    func histogram(_ metric: GroveMetric, _ values: String...) -> DurationHistogram {
        guard case .histogram(let buckets) = metric.kind else { preconditionFailure("\(metric.name) is not a histogram") }
        return makeDurationHistogram(descriptor: metric.descriptor, labels: metric.labeled(values), buckets: buckets)
    }
}
