import Hummingbird
import Prometheus
import Synchronization

/// The request series of every route: `grove_http_requests_total` and
/// `grove_http_request_duration_seconds`, labelled with the route's method and path template.
///
/// An answer costs one lookup of the matched template in a table made once, one lock of that
/// route's series, and the two updates: the series of a route and status are made (and their
/// labels formatted) on the route's first answer with that status. Requests no route matched
/// share the route `unmatched`, with a method outside the standard ones named `other`, so
/// clients cannot grow the number of series.
final class RequestMetrics: Sendable {
    /// The route label of requests no route matched.
    static let unmatched = "unmatched"
    /// The methods an unmatched request is labelled with; any other is `other`.
    static let standardMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .connect, .options, .trace, .patch]

    /// The series of each route by the template the router reports, those of one template by method.
    private let routes: [String: [RouteSeries]]
    /// The series of requests no route matched, by standard method.
    private let unmatched: [String: RouteSeries]
    /// The series of requests no route matched whose method is not a standard one.
    private let other: RouteSeries

    /// The series of every ``GroveRoute`` in `registry`.
    init(registry: PrometheusCollectorRegistry) {
        routes = Dictionary(grouping: GroveRoute.allCases.map { RouteSeries(method: $0.method.rawValue, route: $0.path, registry: registry) },
                            by: { RouterPath($0.route).description })
        unmatched = Dictionary(uniqueKeysWithValues: Self.standardMethods.map {
            ($0.rawValue, RouteSeries(method: $0.rawValue, route: Self.unmatched, registry: registry))
        })
        other = RouteSeries(method: "other", route: Self.unmatched, registry: registry)
    }

    /// Records an answer with `status` to a `method` request that took `duration`;
    /// `endpoint` is the path template the router matched (Hummingbird's `endpointPath`).
    func record(endpoint: String?, method: HTTPRequest.Method, status: Int, duration: Duration) {
        let series = endpoint.flatMap { routes[$0] }?.first { $0.method == method.rawValue }
            ?? unmatched[method.rawValue] ?? other
        series.record(status: status, duration: duration)
    }
}

/// One route's series: its latency histogram and its answer counter per status, each made on
/// first use.
private final class RouteSeries: Sendable {
    /// The method label.
    let method: String
    /// The route label: the path template, or ``RequestMetrics/unmatched``.
    let route: String
    private let registry: PrometheusCollectorRegistry
    private let handles = Mutex(Handles())

    private struct Handles {
        var duration: DurationHistogram?
        var answers: [Int: Counter] = [:]
    }

    init(method: String, route: String, registry: PrometheusCollectorRegistry) {
        self.method = method
        self.route = route
        self.registry = registry
    }

    func record(status: Int, duration: Duration) {
        let (histogram, counter) = handles.withLock { handles in
            let histogram = handles.duration ?? registry.histogram(.httpRequestDuration, method, route)
            handles.duration = histogram
            if let counter = handles.answers[status] { return (histogram, counter) }
            let counter = registry.counter(.httpRequests, method, route, String(status))
            handles.answers[status] = counter
            return (histogram, counter)
        }
        histogram.record(duration)
        counter.increment()
    }
}
