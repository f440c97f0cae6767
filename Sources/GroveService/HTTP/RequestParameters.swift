import GroveStore
import Hummingbird

/// Query and path parameters checked against `schemas/openapi.yaml`, each failure a 400 that
/// names the parameter: `query parameter 'limit': must be ≤ 1000`.
enum RequestParameters {
    /// The page size of `GET /v1/jobs` without `limit`.
    static let defaultPageSize = 100
    /// The largest `limit` of `GET /v1/jobs`.
    static let maxPageSize = 1000
    /// The longest name of an upload.
    static let maxFileNameLength = 255

    /// The `{id}` path parameter (of a job or a drift event): an integer in 1...Int64.max.
    static func pathID(_ context: some RequestContext) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        return try integer(text, in: 1...Int64.max, name: "path parameter 'id'")
    }

    /// An optional integer query parameter in `range`.
    static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        return try integer(text, in: range, name: "query parameter '\(name)'")
    }

    /// `text` as a decimal integer in `range`.
    static func integer(_ text: String, in range: ClosedRange<Int64>, name: String) throws -> Int64 {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else {
            throw APIError.badRequest("\(name): '\(text)' is not an integer")
        }
        guard let value = Int64(text) else {
            throw APIError.badRequest("\(name): must be \(text.hasPrefix("-") ? "≥ \(range.lowerBound)" : "≤ \(range.upperBound)")")
        }
        if value < range.lowerBound { throw APIError.badRequest("\(name): must be ≥ \(range.lowerBound)") }
        if value > range.upperBound { throw APIError.badRequest("\(name): must be ≤ \(range.upperBound)") }
        return value
    }

    /// `?state=queued,running`: states of ``JobState``, comma-separated, or `nil` for all.
    static func states(_ request: Request) throws -> Set<JobState>? {
        guard let filter = request.uri.queryParameters.get("state") else { return nil }
        let known = JobState.allCases.map(\.rawValue).joined(separator: ", ")
        var states: Set<JobState> = []
        for name in filter.split(separator: ",", omittingEmptySubsequences: false) {
            guard let state = JobState(rawValue: String(name)) else {
                throw APIError.badRequest("query parameter 'state': unknown job state '\(name)'; use one or more of \(known), comma-separated")
            }
            states.insert(state)
        }
        return states
    }

    /// `?model=NAME`, checked against the model name rule, or `nil`.
    static func model(_ request: Request) throws -> String? {
        guard let model = request.uri.queryParameters.get("model") else { return nil }
        guard ModelName.isValid(model) else {
            throw APIError.badRequest("query parameter 'model': \(ServiceError.invalidModelName(model).description)")
        }
        return model
    }

    /// `?name=FILE` of an upload: 1 to 255 characters, no `/` or NUL, not `.` or `..`.
    static func fileName(_ request: Request) throws -> String {
        guard let name = request.uri.queryParameters.get("name") else {
            throw APIError.badRequest("query parameter 'name' is required (the file's name, e.g. ?name=train.csv)")
        }
        guard !name.isEmpty, name.unicodeScalars.count <= maxFileNameLength, name != ".", name != "..",
              !name.unicodeScalars.contains(where: { $0 == "/" || $0 == "\u{0}" })
        else {
            throw APIError.badRequest("query parameter 'name': '\(name)' is not a file name (1 to \(maxFileNameLength) characters, no '/')")
        }
        return name
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
