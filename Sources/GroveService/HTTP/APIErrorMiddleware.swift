import Hummingbird
import Logging

/// The outermost middleware: turns whatever a route throws into its ``APIError`` answer (the
/// one mapping of errors to statuses), and records every answer in ``requests``: counted by
/// method, route and status in `grove_http_requests_total`, timed by method and route in
/// `grove_http_request_duration_seconds`.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Where answers are counted and timed.
    let requests: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            var answer = APIError(mapping: error)
            if answer.status == .notFound, context.endpointPath == nil || context.endpointPath == "NotFound",
               let allowed = GroveRoute.methods(matching: request.uri.path), !allowed.isEmpty {
                let names = allowed.map(\.rawValue).joined(separator: ", ")
                answer = APIError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path); use \(names)",
                                  headers: [.allow: names])
            }
            let metadata: Logger.Metadata = [
                "http.method": "\(request.method)", "http.path": "\(request.uri.path)",
                "http.status": "\(answer.status.code)", "error": "\(answer.message)",
            ]
            if answer.status.code >= 500 {
                context.logger.error("request failed", metadata: metadata)
            } else {
                context.logger.debug("request rejected", metadata: metadata)
            }
            response = try answer.response(from: request, context: context)
        }
        requests.record(endpoint: context.endpointPath, method: request.method, status: response.status.code,
                        duration: ContinuousClock.now - start)
        return response
    }
}

/// Answers 401 to every request but `/healthz` unless it carries `Authorization: Bearer <token>`.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The expected token.
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let publicPaths = GroveRoute.allCases.filter(\.isPublic).map(\.path)
        if publicPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], Self.matches(header, token: token) else {
            throw APIError.unauthorized
        }
        return try await next(request, context)
    }

    /// Whether `header` is `Bearer <token>`, compared in time independent of where they differ.
    static func matches(_ header: some StringProtocol, token: String) -> Bool {
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else { return false }
        let given = Array(header.dropFirst(scheme.count).trimmingPrefix(while: { $0 == " " }).utf8)
        let expected = Array(token.utf8)
        var difference = given.count == expected.count ? 0 : 1
        for i in 0..<expected.count {
            difference |= Int((i < given.count ? given[i] : 0) ^ expected[i])
        }
        return difference == 0
    }
}
