import Foundation
import Hummingbird

/// Refuses requests that a web page in the user's browser could make the daemon answer.
///
/// - **DNS rebinding.** A page whose own name was re-pointed at the daemon's address can read
///   answers, but its requests still carry that name in `Host`. Unless the daemon listens on
///   every interface (`0.0.0.0`, `::`; a token is then required), a request must be addressed to
///   the listen host or a loopback name (`localhost`, `127.0.0.1`, `[::1]`), any port: 403
///   otherwise. Requests without `Host` (HTTP/1.0, not from a browser) pass.
/// - **Foreign pages.** Browsers send `Origin` with cross-site requests (and every POST). A
///   request whose `Origin` is not `http://` or `https://` of the listen host or a loopback name,
///   on the listen port, is refused (403); `Origin: null` (sandboxed pages, files) too.
/// - **Cross-site writes** are also refused by each route's body type (``BodyType``): a page may
///   POST only `text/plain`, form encodings or no body without asking first.
struct CrossSiteGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether `Host` is checked: `false` when the daemon listens on every interface.
    let checksHost: Bool
    /// Host names a request may be addressed to (lowercased, IPv6 without brackets).
    let allowedHosts: Set<String>
    /// The port an `Origin` must name, or `nil` to accept any (the daemon picked a free port).
    let port: Int?

    /// A guard for a daemon listening on `host`:`port` (`0` for a port chosen at start).
    init(listenHost host: String, port: Int = 0) {
        checksHost = !ListenAddress.isWildcard(host)
        allowedHosts = ListenAddress.loopbackNames.union([host.lowercased()])
        self.port = port == 0 ? nil : port
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = refusal(authority: request.head.authority, origin: request.headers[.origin]) {
            throw refusal
        }
        return try await next(request, context)
    }

    /// The answer to a request addressed to `authority` from `origin`, or `nil` when it may go on.
    func refusal(authority: String?, origin: String?) -> APIError? {
        if checksHost, let authority, !allowedHosts.contains(Self.hostName(authority)) {
            return APIError(.forbidden, "requests must be addressed to this daemon's address or localhost, not Host '\(authority)'")
        }
        if let origin, !isOwn(origin: origin) {
            return APIError(.forbidden, "cross-origin requests are refused (Origin '\(origin)')")
        }
        return nil
    }

    /// Whether `origin` (`scheme://host[:port]`) is the daemon's own or a loopback origin.
    func isOwn(origin: String) -> Bool {
        guard let components = URLComponents(string: origin), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, components.path.isEmpty,
              components.query == nil, components.fragment == nil
        else { return false }
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard allowedHosts.contains(name.lowercased()) || (!checksHost && ListenAddress.isLoopback(name)) else { return false }
        guard let port else { return true }
        return (components.port ?? (scheme == "https" ? 443 : 80)) == port
    }

    /// `host[:port]` or `[v6]:port` without the port, lowercased.
    static func hostName(_ header: String) -> String {
        let value = header.lowercased()
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            return String(value[value.index(after: value.startIndex)..<close])
        }
        return String(value.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
