import GroveStore
import Prometheus

/// One daemon's metrics: the only way Grove records them, and their Prometheus text for
/// `GET /metrics`.
///
/// Each instance keeps its own registry, so daemons in one process (tests) never mix their
/// figures, and recording without anyone scraping costs only memory for the series. The
/// families and their help texts are those of ``GroveMetric``.
///
/// ```swift
/// let daemon = try await GroveDaemon.open(home: home, logger: logger)   // records into daemon.metrics
/// print(daemon.metrics.text())   // what GET /metrics answers: # HELP grove_jobs …
/// ```
public final class GroveMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    /// The per-route request series that ``APIErrorMiddleware`` records into.
    let requests: RequestMetrics

    /// An empty set of metrics.
    public init() {
        requests = RequestMetrics(registry: registry)
    }

    /// Every series recorded so far in Prometheus text format 0.0.4, each family with its
    /// `# HELP` and `# TYPE` lines.
    public func text() -> String {
        registry.emitToString()
    }

    // MARK: - Jobs

    /// Counts a job of `model` whose phase committed, and how long the phase took.
    func phaseCommitted(model: String, after duration: Duration) {
        registry.histogram(.phaseDuration, model).record(duration)
        registry.counter(.jobsFinished, model, JobState.succeeded.rawValue).increment()
    }

    /// Counts a job of `model` that failed.
    func jobFailed(model: String) {
        registry.counter(.jobsFinished, model, JobState.failed.rawValue).increment()
    }

    // MARK: - The watch

    /// Counts a window of `model`'s prediction inputs tested.
    func driftWindowTested(model: String) {
        registry.counter(.driftWindows, model).increment()
    }

    /// Counts a drift event raised for `model`.
    func driftEventRaised(model: String) {
        registry.counter(.driftEvents, model).increment()
    }

    // MARK: - Gauges refreshed by a scrape

    /// Sets how many of `model`'s jobs are in `state`.
    func setJobs(_ count: Int, model: String, state: JobState) {
        registry.gauge(.jobs, model, state.rawValue).set(to: Double(count))
    }

    /// Sets the size of `model`: its latest version's experts and its domains.
    func setSize(model: String, experts: Int, domains: Int) {
        registry.gauge(.experts, model).set(to: Double(experts))
        registry.gauge(.domains, model).set(to: Double(domains))
    }

    /// Sets `model`'s latest version's accuracy (0 to 1) on `domain`.
    func setAccuracy(_ accuracy: Double, model: String, domain: String) {
        registry.gauge(.domainAccuracy, model, domain).set(to: accuracy)
    }

    /// Sets the full windows of `model`'s prediction inputs that the watch has yet to test.
    func setWindowsWaiting(model: String, count: Int) {
        registry.gauge(.driftWindowsWaiting, model).set(to: Double(count))
    }

    /// Sets the p-value and median novelty of the latest window of `model`'s prediction inputs
    /// that the watch tested.
    func setLatestWindow(model: String, pValue: Double, novelty: Double) {
        registry.gauge(.driftWindowPValue, model).set(to: pValue)
        registry.gauge(.driftWindowNovelty, model).set(to: novelty)
    }
}
