import Hummingbird

/// The `Content-Type` a route's request body must have.
///
/// A web page may send `text/plain`, form encodings or no body type to any address without
/// asking; every other type makes the browser ask first (a CORS preflight), which this API never
/// grants. Requiring the exact type therefore also keeps pages from writing.
enum BodyType {
    /// The media types `route` takes, or `nil` for a route that reads no body.
    static func expected(for route: GroveRoute) -> [String]? {
        switch route {
        case .uploadFile: ["application/octet-stream"]
        case .submitJob: ["application/json"]
        case .predict, .modelPredict: PredictInput.Encoding.allCases.map(\.mediaType)
        default: nil
        }
    }

    /// Checks the request's `Content-Type` against what `route` takes: exactly one of its media
    /// types (JSON may add `charset=utf-8`); a write that reads no body must still declare a type a
    /// page cannot send unasked.
    /// - Throws: ``APIError`` 415 naming the expected type.
    static func check(_ request: Request, for route: GroveRoute) throws {
        let header = request.headers[.contentType]
        let given = header.map { "Content-Type '\($0)'" } ?? "no Content-Type"
        guard let expected = expected(for: route) else {
            guard [.post, .put, .patch, .delete].contains(request.method) else { return }
            let type = header.map { mediaType($0).type } ?? ""
            if type.isEmpty || simpleTypes.contains(type) {
                throw APIError(.unsupportedMediaType, "\(request.method) \(route.path) needs Content-Type application/json, not \(given)")
            }
            return
        }
        guard let header, expected.contains(where: { matches(header, expected: $0) }) else {
            let names = expected.count > 1 ? expected.dropLast().joined(separator: ", ") + " or " + (expected.last ?? "") : expected.joined()
            throw APIError(.unsupportedMediaType, "\(request.method) \(route.path) needs Content-Type \(names), not \(given)")
        }
    }

    /// Whether `header` is `expected`, with no parameter but `charset=utf-8` for JSON.
    static func matches(_ header: String, expected: String) -> Bool {
        let (type, parameters) = mediaType(header)
        guard type == expected else { return false }
        return parameters.allSatisfy { expected == "application/json" && $0 == "charset=utf-8" }
    }

    /// The body types a browser sends cross-site without a preflight.
    static let simpleTypes: Set<String> = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]

    /// A Content-Type value's media type and parameters, lowercased, spaces and quotes removed.
    static func mediaType(_ header: String) -> (type: String, parameters: [String]) {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let parameters = parts.dropFirst().map { $0.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\"", with: "") }
        return (parts.first ?? "", Array(parameters))
    }
}
