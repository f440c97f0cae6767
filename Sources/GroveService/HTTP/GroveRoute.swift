import Hummingbird

/// Every route of the daemon's HTTP API: the one list that both the router and the OpenAPI
/// check (`schemas/openapi.yaml`) use.
///
/// Paths are written the OpenAPI way (`/v1/jobs/{id}`), which Hummingbird's router reads too.
/// Clients may use ``path`` and ``method`` instead of repeating the strings.
public enum GroveRoute: String, CaseIterable, Sendable {
    /// `GET /healthz`: liveness, `ok` as text; never needs the token.
    case healthz
    /// `GET /metrics`: Prometheus text format.
    case metrics
    /// `POST /v1/files?name=FILE`: streams a file into the home's datasets.
    case uploadFile
    /// `POST /v1/jobs`: queues a dataset spec.
    case submitJob
    /// `GET /v1/jobs`: the queue, optionally filtered by `?state=`.
    case listJobs
    /// `GET /v1/jobs/{id}`: one job.
    case job
    /// `GET /v1/status`: what the daemon is doing.
    case status
    /// `GET /v1/domains`: known domains.
    case domains
    /// `GET /v1/experts`: experts with lineage.
    case experts
    /// `GET /v1/report?format=`: the report as JSON, HTML, Markdown or a text table.
    case report
    /// `POST /v1/predict`: class predictions for samples.
    case predict

    /// The HTTP method.
    public var method: HTTPRequest.Method {
        switch self {
        case .uploadFile, .submitJob, .predict: .post
        case .healthz, .metrics, .listJobs, .job, .status, .domains, .experts, .report: .get
        }
    }

    /// The path template, with `{name}` parameters.
    public var path: String {
        switch self {
        case .healthz: "/healthz"
        case .metrics: "/metrics"
        case .uploadFile: "/v1/files"
        case .submitJob, .listJobs: "/v1/jobs"
        case .job: "/v1/jobs/{id}"
        case .status: "/v1/status"
        case .domains: "/v1/domains"
        case .experts: "/v1/experts"
        case .report: "/v1/report"
        case .predict: "/v1/predict"
        }
    }

    /// Whether the route answers without the bearer token.
    public var isPublic: Bool { self == .healthz }
}
