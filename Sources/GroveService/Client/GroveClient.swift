import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A client of the daemon's HTTP API (schemas/openapi.yaml): typed requests over one `URLSession`,
/// so that consecutive requests reuse a kept-alive connection.
///
/// ```swift
/// let client = try GroveClient(server: GroveClient.defaultServer(), token: nil)
/// let stored = try await client.upload(fileAt: URL(fileURLWithPath: "day1.csv"))
/// let submission = try await client.submit(DatasetSpec(domain: "day1", source: .init(format: .csv, path: stored.path)))
/// let done = try await client.wait(for: [submission.job.id]) { job in print(job.state) }
/// ```
///
/// Every failure is a ``ClientError`` with a one-line message: the daemon's own
/// `{"error": "..."}` text for an error status, or why the daemon could not be reached.
///
/// ## Topics
/// - ``upload(fileAt:name:)``
/// - ``submit(_:model:)``
/// - ``jobs(model:states:)``
/// - ``models()``
/// - ``wait(for:interval:onUpdate:)``
/// - ``predict(_:model:)``
public struct GroveClient: Sendable {
    /// The daemon's base URL (e.g. `http://127.0.0.1:7878`).
    public let server: URL
    /// The bearer token sent with every request, if any.
    public let token: String?
    /// Seconds a request may wait for an answer.
    public let timeout: TimeInterval
    let session: URLSession

    /// The address used when neither `--server` nor `$GROVE_SERVER` says otherwise.
    public static let fallbackServer = "http://127.0.0.1:7878"

    /// A client of the daemon at `server`.
    /// - Parameters:
    ///   - server: `http://HOST:PORT` (a bare `HOST:PORT` gets `http://`).
    ///   - token: the bearer token, or `nil` when the daemon has none.
    ///   - timeout: seconds a request may wait for an answer (default 300: uploads can be large).
    /// - Throws: ``ClientError/invalidServer(_:)``.
    public init(server: String, token: String? = nil, timeout: TimeInterval = 300) throws {
        var text = server.trimmingCharacters(in: .whitespaces)
        if !text.contains("://") { text = "http://" + text }
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ClientError.invalidServer(server)
        }
        self.server = url
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.timeout = timeout
        let configuration = URLSessionConfiguration.default
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = 16
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    /// The server to use: `explicit` if given, else `$GROVE_SERVER`, else ``fallbackServer``.
    public static func defaultServer(_ explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["GROVE_SERVER"], !env.isEmpty { return env }
        return fallbackServer
    }

    /// The token to use: the first line of `tokenFile` if given, else `$GROVE_TOKEN`, else none.
    /// - Throws: ``ClientError/unreadableFile(path:reason:)``.
    public static func defaultToken(tokenFile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw ClientError.unreadableFile(path: tokenFile, reason: "no such file or not UTF-8 text")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ClientError.unreadableFile(path: tokenFile, reason: "the token file is empty") }
            return token
        }
        if let env = environment["GROVE_TOKEN"], !env.isEmpty { return env }
        return nil
    }

    // MARK: - Requests

    /// A request for `path` (which may carry a query) with the token and a JSON `Accept`.
    func request(_ method: String, _ path: String, contentType: String? = nil) throws -> URLRequest {
        guard let url = URL(string: server.absoluteString + path) else { throw ClientError.invalidServer(server.absoluteString + path) }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        return request
    }

    /// Sends `request` (with `body`, or the file at `file` streamed from disk) and returns the
    /// body of a 2xx answer.
    /// - Throws: ``ClientError``.
    func send(_ request: URLRequest, body: Data? = nil, file: URL? = nil) async throws -> Data {
        let label = "\(request.httpMethod ?? "GET") \(request.url?.path ?? "")"
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await transfer(request, body: body, file: file)
        } catch let error as URLError {
            throw ClientError.unreachable(server: server.absoluteString, reason: Self.reason(error))
        } catch {
            throw ClientError.unreachable(server: server.absoluteString, reason: error.localizedDescription)
        }
        guard let http = response as? HTTPURLResponse else {
            throw ClientError.badResponse(request: label, reason: "not an HTTP answer")
        }
        guard (200..<300).contains(http.statusCode) else {
            throw ClientError.status(code: http.statusCode, message: Self.errorMessage(data, status: http.statusCode))
        }
        return data
    }

    private func transfer(_ request: URLRequest, body: Data?, file: URL?) async throws -> (Data, URLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            let handler: @Sendable (Data?, URLResponse?, (any Error)?) -> Void = { data, response, error in
                if let error { continuation.resume(throwing: error); return }
                guard let response else { continuation.resume(throwing: URLError(.badServerResponse)); return }
                continuation.resume(returning: (data ?? Data(), response))
            }
            let task: URLSessionTask
            if let file {
                task = session.uploadTask(with: request, fromFile: file, completionHandler: handler)
            } else if let body {
                task = session.uploadTask(with: request, from: body, completionHandler: handler)
            } else {
                task = session.dataTask(with: request, completionHandler: handler)
            }
            task.resume()
        }
    }

    /// The `{"error": "..."}` message of an error answer, or its first line of text.
    static func errorMessage(_ data: Data, status: Int) -> String {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let message = object["error"] as? String {
            return message
        }
        let text = String(decoding: data.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.isEmpty ? HTTPURLResponse.localizedString(forStatusCode: status) : line
    }

    /// A short reason for a transport failure.
    static func reason(_ error: URLError) -> String {
        switch error.code {
        case .cannotConnectToHost, .networkConnectionLost: "connection refused"
        case .cannotFindHost, .dnsLookupFailed: "unknown host"
        case .timedOut: "no answer (timed out)"
        case .badServerResponse: "bad answer"
        default: error.localizedDescription
        }
    }

    /// Decodes a JSON answer.
    func decode<T: Decodable>(_ type: T.Type, from data: Data, request: String) throws -> T {
        try Self.decodeAnswer(type, from: data, request: request)
    }

    /// Decodes a JSON answer of the API (ISO-8601 dates), so that a command can check bytes it
    /// fetched raw and still print them unchanged.
    /// - Throws: ``ClientError/badResponse(request:reason:)`` naming `request`.
    public static func decodeAnswer<T: Decodable>(_ type: T.Type, from data: Data, request: String) throws -> T {
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(type, from: data)
        } catch {
            throw ClientError.badResponse(request: request, reason: Self.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context): return "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "bad '\(path)': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
