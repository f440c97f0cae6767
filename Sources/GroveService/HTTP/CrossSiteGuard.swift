import Foundation
import Hummingbird

/// Refuses what a web page in the user's browser could send to a daemon on the loopback
/// interface.
///
/// - **Cross-site writes.** A page may POST to any address without asking, but only with a
///   "simple" body type (`text/plain`, `application/x-www-form-urlencoded`,
///   `multipart/form-data`) or none; every other type makes the browser ask first (a CORS
///   preflight), which this API never grants. So requests that change something must declare a
///   type outside that list (`application/json`, `application/octet-stream`): 415 otherwise.
/// - **DNS rebinding.** A page whose own name was re-pointed at 127.0.0.1 can read answers, but
///   its requests still carry that name in `Host`. A daemon listening on a loopback address
///   answers only requests addressed to a loopback name (`localhost`, `127.0.0.1`, `[::1]`) or
///   to its own listen host: 403 otherwise. Requests without `Host` (not from a browser) pass.
struct CrossSiteGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether the daemon listens on a loopback address only.
    let loopbackOnly: Bool
    /// Host names a request may be addressed to when `loopbackOnly`.
    let allowedHosts: Set<String>

    /// A guard for a daemon listening on `host`.
    init(listenHost host: String) {
        let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]
        loopbackOnly = loopbackNames.contains(host.lowercased()) || host.hasPrefix("127.")
        allowedHosts = loopbackNames.union([host.lowercased()])
    }

    /// The body types a browser sends cross-site without a preflight.
    static var simpleTypes: Set<String> { ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = refusal(method: request.method, path: request.uri.path, authority: request.head.authority,
                                 contentType: request.headers[.contentType]) {
            throw refusal
        }
        return try await next(request, context)
    }

    /// The answer to a request with these parts, or `nil` when it may go on.
    func refusal(method: HTTPRequest.Method, path: String, authority: String?, contentType: String?) -> APIError? {
        if loopbackOnly, let authority, !allowedHosts.contains(Self.hostName(authority)) {
            return APIError(.forbidden, "requests must be addressed to this machine (Host '\(authority)' is not a loopback name)")
        }
        guard [.post, .put, .patch, .delete].contains(method) else { return nil }
        let type = contentType.map(Self.mediaType) ?? ""
        guard type.isEmpty || Self.simpleTypes.contains(type) else { return nil }
        let given = type.isEmpty ? "no Content-Type" : "Content-Type '\(type)'"
        return APIError(.unsupportedMediaType,
                        "\(method) \(path) needs Content-Type application/json (files: application/octet-stream), not \(given)")
    }

    /// `host[:port]` or `[v6]:port` without the port, lowercased.
    static func hostName(_ header: String) -> String {
        let value = header.lowercased()
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            return String(value[value.index(after: value.startIndex)..<close])
        }
        return String(value.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// The media type of a Content-Type value, without parameters, lowercased.
    static func mediaType(_ header: String) -> String {
        (header.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}
