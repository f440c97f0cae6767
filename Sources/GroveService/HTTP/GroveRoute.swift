import Hummingbird

/// Every route of the daemon's HTTP API: the one list that both the router and the OpenAPI
/// check (`schemas/openapi.yaml`) use.
///
/// Paths are written the OpenAPI way (`/v1/jobs/{id}`), which Hummingbird's router reads too.
/// Clients may use ``path`` and ``method`` instead of repeating the strings.
///
/// Model views come twice: scoped by name (`/v1/models/{model}/domains`) and unscoped
/// (`/v1/domains`), the shorthand for model `default`; both answer through the same handler.
public enum GroveRoute: String, CaseIterable, Sendable {
    /// `GET /healthz`: liveness, `ok` as text; never needs the token.
    case healthz
    /// `GET /metrics`: Prometheus text format.
    case metrics
    /// `POST /v1/files?name=FILE`: streams a file into the home's datasets.
    case uploadFile
    /// `POST /v1/jobs`: queues a dataset spec for a model.
    case submitJob
    /// `GET /v1/jobs`: the queue, optionally filtered by `?state=` and `?model=`.
    case listJobs
    /// `GET /v1/jobs/{id}`: one job.
    case job
    /// `POST /v1/jobs/{id}/cancel`: cancels a queued or running job (a running phase stops
    /// between training steps and commits nothing).
    case cancelJob
    /// `POST /v1/jobs/{id}/retry`: queues a failed or cancelled job again.
    case retryJob
    /// `GET /v1/models`: every model with its input dimension and size.
    case models
    /// `GET /v1/models/{model}`: what a model is and what the daemon does for it.
    case modelStatus
    /// `GET /v1/models/{model}/domains`: a model's known domains.
    case modelDomains
    /// `GET /v1/models/{model}/experts`: a model's experts with lineage.
    case modelExperts
    /// `GET /v1/models/{model}/report?format=`: a model's report.
    case modelReport
    /// `POST /v1/models/{model}/predict`: a model's class predictions for samples.
    case modelPredict
    /// `GET /v1/models/{model}/evaluation`: the latest version on every domain's whole held-out set.
    case modelEvaluation
    /// `GET /v1/models/{model}/drift?windows=`: the watch's drift events and latest windows.
    case modelDrift
    /// `GET /v1/models/{model}/drift/{id}/rows?format=npy|csv`: a drift event's candidate rows, to label.
    case modelDriftRows
    /// `GET /v1/models/{model}/versions`: every version with its phase, experts and accuracies.
    case modelVersions
    /// `GET /v1/models/{model}/versions/{number}/safetensors`: a version's weights.
    case modelVersionWeights
    /// `POST /v1/models/{model}/versions/{number}/rollback`: makes an earlier version the one
    /// that predicts, as a new version.
    case modelRollback
    /// `GET /v1/status`: ``modelStatus`` of model `default`.
    case status
    /// `GET /v1/domains`: ``modelDomains`` of model `default`.
    case domains
    /// `GET /v1/experts`: ``modelExperts`` of model `default`.
    case experts
    /// `GET /v1/report?format=`: ``modelReport`` of model `default`, as JSON, HTML, Markdown or a text table.
    case report
    /// `POST /v1/predict`: ``modelPredict`` of model `default`.
    case predict
    /// `GET /v1/evaluation`: ``modelEvaluation`` of model `default`.
    case evaluation
    /// `GET /v1/drift?windows=`: ``modelDrift`` of model `default`.
    case drift
    /// `GET /v1/drift/{id}/rows?format=`: ``modelDriftRows`` of model `default`.
    case driftRows
    /// `GET /v1/versions`: ``modelVersions`` of model `default`.
    case versions
    /// `GET /v1/versions/{number}/safetensors`: ``modelVersionWeights`` of model `default`.
    case versionWeights
    /// `POST /v1/versions/{number}/rollback`: ``modelRollback`` of model `default`.
    case rollback

    /// The HTTP method.
    public var method: HTTPRequest.Method {
        switch self {
        case .uploadFile, .submitJob, .cancelJob, .retryJob, .predict, .modelPredict, .rollback, .modelRollback: .post
        case .healthz, .metrics, .listJobs, .job, .models, .modelStatus, .modelDomains, .modelExperts, .modelReport,
             .status, .domains, .experts, .report, .modelEvaluation, .evaluation, .modelDrift, .drift,
             .modelDriftRows, .driftRows, .modelVersions, .versions, .modelVersionWeights, .versionWeights: .get
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
        case .cancelJob: "/v1/jobs/{id}/cancel"
        case .retryJob: "/v1/jobs/{id}/retry"
        case .models: "/v1/models"
        case .modelStatus: "/v1/models/{model}"
        case .modelDomains: "/v1/models/{model}/domains"
        case .modelExperts: "/v1/models/{model}/experts"
        case .modelReport: "/v1/models/{model}/report"
        case .modelPredict: "/v1/models/{model}/predict"
        case .modelEvaluation: "/v1/models/{model}/evaluation"
        case .modelDrift: "/v1/models/{model}/drift"
        case .modelDriftRows: "/v1/models/{model}/drift/{id}/rows"
        case .modelVersions: "/v1/models/{model}/versions"
        case .modelVersionWeights: "/v1/models/{model}/versions/{number}/safetensors"
        case .modelRollback: "/v1/models/{model}/versions/{number}/rollback"
        case .status: "/v1/status"
        case .domains: "/v1/domains"
        case .experts: "/v1/experts"
        case .report: "/v1/report"
        case .predict: "/v1/predict"
        case .evaluation: "/v1/evaluation"
        case .drift: "/v1/drift"
        case .driftRows: "/v1/drift/{id}/rows"
        case .versions: "/v1/versions"
        case .versionWeights: "/v1/versions/{number}/safetensors"
        case .rollback: "/v1/versions/{number}/rollback"
        }
    }

    /// The methods of the routes whose path template matches `path`, or `nil` when none does.
    public static func methods(matching path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let methods = allCases.filter { route in
            let template = route.path.split(separator: "/", omittingEmptySubsequences: false)
            return template.count == segments.count && zip(template, segments).allSatisfy { pattern, segment in
                pattern.hasPrefix("{") ? !segment.isEmpty : pattern == segment
            }
        }.map(\.method)
        return methods.isEmpty ? nil : methods.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// Whether the route answers without the bearer token.
    public var isPublic: Bool { self == .healthz }
}
