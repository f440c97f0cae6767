import GroveNumerics

/// Errors of the daemon's HTTP client, each a one-line message printed after `error: `.
///
/// ```swift
/// do { _ = try await client.status() }
/// catch ClientError.unreachable(let server, _) { print("is the daemon running at \(server)?") }
/// ```
public enum ClientError: GroveError, Equatable {
    /// The server address is not an `http://` or `https://` URL.
    case invalidServer(String)
    /// No connection could be made (refused, unknown host, timeout).
    case unreachable(server: String, reason: String)
    /// The daemon answered with an error status and its one-line message.
    case status(code: Int, message: String)
    /// The daemon's answer could not be decoded.
    case badResponse(request: String, reason: String)
    /// A local file (upload, token) could not be read.
    case unreadableFile(path: String, reason: String)
    /// Rows to predict that are not all of one width.
    case raggedRows(row: Int, features: Int, first: Int)

    public var description: String {
        switch self {
        case .invalidServer(let server): "'\(server)' is not a server address; use http://HOST:PORT"
        case .unreachable(let server, let reason): "cannot reach the daemon at \(server): \(reason)"
        case .status(let code, let message): "the daemon answered \(code): \(message)"
        case .badResponse(let request, let reason): "unexpected answer to \(request): \(reason)"
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .raggedRows(let row, let features, let first): "rows to predict: row \(row) has \(features) features, row 0 has \(first)"
        }
    }
}
