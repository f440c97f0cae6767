import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import ServiceLifecycle

/// The daemon's HTTP server and background work as one Hummingbird application.
///
/// The application is a `Service`: its `run()` starts one `ServiceGroup` with the daemon's
/// services (job runner, inbox watcher) and the server. On graceful shutdown the server stops
/// first (no new requests, in-flight ones finish), then the inbox watcher and the job runner,
/// which stops a phase between training steps without committing it.
///
/// ```swift
/// let daemon = try await GroveDaemon.open(home: home, config: config, logger: logger)
/// var configuration = GroveHTTPConfiguration()
/// try configuration.listen(on: "127.0.0.1:7878")
/// let app = makeGroveApplication(daemon: daemon, configuration: configuration, logger: logger)
/// try await app.runService()   // SIGTERM / SIGINT shut it down gracefully
/// ```
///
/// - Parameters:
///   - daemon: the opened daemon; its `services` run in the application's group.
///   - configuration: address, token, body limits, timeouts and connection cap; call
///     ``GroveHTTPConfiguration/check()`` first.
///   - logger: the logger of the server and of every request.
/// - Returns: the application; call `runService()` to run it until a signal.
public func makeGroveApplication(daemon: GroveDaemon, configuration: GroveHTTPConfiguration, logger: Logger) -> some ApplicationProtocol {
    Application(
        router: makeGroveRouter(daemon: daemon, configuration: configuration),
        server: .http1(configuration: HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestHeadTimeout(timeout: TimeAmount(configuration.readTimeout))],
            idleTimeout: TimeAmount(configuration.idleTimeout))),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "grove",
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)),
        services: daemon.services,
        logger: logger)
}

/// The router of every ``GroveRoute``, with error mapping, request metrics and the token check.
/// - Parameters:
///   - daemon: the daemon the routes read and submit to.
///   - configuration: the token, the listen address (for the cross-site guard) and the body limits.
public func makeGroveRouter(daemon: GroveDaemon, configuration: GroveHTTPConfiguration) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: APIErrorMiddleware(requests: daemon.metrics.requests))
    if let token = configuration.token, !token.isEmpty {
        router.add(middleware: BearerAuthMiddleware(token: token))
    }
    router.add(middleware: CrossSiteGuardMiddleware(listenHost: configuration.host, port: configuration.port))
    let api = GroveAPI(daemon: daemon, configuration: configuration)
    for route in GroveRoute.allCases {
        router.on(RouterPath(route.path), method: route.method) { request, context in
            try await api.respond(to: route, request: request, context: context)
        }
    }
    return router
}

/// The route handlers, over one daemon.
struct GroveAPI: Sendable {
    let daemon: GroveDaemon
    let configuration: GroveHTTPConfiguration
    /// The read-only views the routes answer with.
    let views: HomeViews
    /// The answers of the read routes, kept while the store does not change.
    let answers: AnswerCache

    init(daemon: GroveDaemon, configuration: GroveHTTPConfiguration) {
        self.daemon = daemon
        self.configuration = configuration
        views = HomeViews(store: daemon.store, hosts: daemon.hosts)
        answers = AnswerCache(store: daemon.store)
    }

    /// Answers `request` for `route`; every route has exactly one handler here, and a model
    /// view's scoped and unscoped routes share theirs.
    func respond(to route: GroveRoute, request: Request, context: BasicRequestContext) async throws -> Response {
        // The unscoped model routes have no `{model}` parameter: they address `default`.
        let model = context.parameters.get("model") ?? ModelName.standard
        try BodyType.check(request, for: route)
        return switch route {
        case .healthz: JSONBody.text("ok", contentType: "text/plain; charset=utf-8")
        case .metrics: try await metrics()
        case .uploadFile: try await uploadFile(request, context: context)
        case .submitJob: try await submitJob(request)
        case .listJobs: try await listJobs(request)
        case .job: try await job(context)
        case .cancelJob: try await cancelJob(context)
        case .retryJob: try await retryJob(request, context: context)
        case .models: try await models()
        case .status, .modelStatus: try await status(model: model)
        case .domains, .modelDomains: try await domains(model: model)
        case .experts, .modelExperts: try await experts(model: model)
        case .report, .modelReport: try await report(request, model: model)
        case .predict, .modelPredict: try await predict(request, model: model)
        case .evaluation, .modelEvaluation: try JSONBody.response(try await views.evaluation(model: model))
        case .drift, .modelDrift:
            try JSONBody.response(try await views.drift(model: model, windows: Int(try RequestParameters.integer(request, "windows", in: 0...10_000) ?? 100)))
        case .driftRows, .modelDriftRows: try await candidateRows(request, context: context, model: model)
        case .versions, .modelVersions: try JSONBody.response(try await views.versions(model: model))
        case .versionWeights, .modelVersionWeights: try await versionWeights(context, model: model)
        case .rollback, .modelRollback: try await rollback(context, model: model)
        }
    }
}
