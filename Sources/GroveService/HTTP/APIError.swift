import Foundation
import GroveData
import GroveNumerics
import GroveReport
import GroveStore
import Hummingbird
import NIOHTTP1

/// An error as the API answers it: a status and `{"error": "<one line>"}`.
///
/// ``init(mapping:)`` is the one place where errors of every module get their status; the
/// ``APIErrorMiddleware`` applies it to whatever a route throws.
struct APIError: HTTPResponseError, CustomStringConvertible {
    /// The status of the answer.
    var status: HTTPResponse.Status
    /// The one-line message.
    var message: String
    /// Extra headers (e.g. `WWW-Authenticate`).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = Self.oneLine(message)
        self.headers = headers
    }

    var description: String { "\(status.code) \(message)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONBody.response(APIErrorBody(error: message), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    // MARK: - Common errors

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }

    /// 413 naming the cap and, when the operator can raise it, the `grove daemon` flag that does.
    static func tooLarge(limit: Int, flag: String? = nil) -> APIError {
        let raise = flag.map { "; the daemon's operator can raise it with grove daemon \($0)" } ?? ""
        return APIError(.contentTooLarge, "request body exceeds the limit of \(ByteCount.describe(limit))" + raise)
    }

    static let unauthorized = APIError(.unauthorized, "missing or wrong bearer token (send 'Authorization: Bearer <token>')",
                                       headers: [.wwwAuthenticate: "Bearer realm=\"grove\""])

    // MARK: - Mapping

    /// The answer to `error`, whatever module threw it.
    init(mapping error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as HTTPError:
            self.init(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
        case let error as ServiceError:
            self.init(Self.status(of: error), error.description)
        case let error as StoreError:
            // A busy store clears within seconds: say when to come back.
            let headers: HTTPFields = if case .busy = error { [.retryAfter: "2"] } else { [:] }
            self.init(Self.status(of: error), error.description, headers: headers)
        case let error as ReportError:
            switch error {
            case .unknownFormat: self.init(.badRequest, error.description)
            case .notEncodable: self.init(.internalServerError, error.description)
            }
        case let error as DecodingError:
            self.init(.badRequest, "invalid request body: " + Self.describe(error))
        case let error as HTTPParserError:
            self.init(.badRequest, Self.describe(error))
        case is CancellationError:
            self.init(.serviceUnavailable, "the daemon is shutting down")
        case let error as any HTTPResponseError:
            self.init(error.status, error.status.reasonPhrase)
        case let error as any GroveError:
            // Dataset, manifest and learning errors describe bad input; anything else is ours.
            self.init(Self.isInputError(error) ? .badRequest : .internalServerError, error.description)
        default:
            self.init(.internalServerError, "internal error: \(error)")
        }
    }

    static func status(of error: ServiceError) -> HTTPResponse.Status {
        switch error {
        case .noModel, .cannotRollback: .conflict
        case .unknownModel, .unknownDriftEvent, .unknownVersion: .notFound
        case .badInput, .emptyUpload, .badSpec, .invalidModelName, .dimensionMismatch: .badRequest
        case .outsideDataRoots: .forbidden
        case .unusableHome, .storeFailed, .noHome, .unusableDataRoot, .phaseNotStarted, .phaseCrashed, .watchNotReady: .internalServerError
        }
    }

    static func status(of error: StoreError) -> HTTPResponse.Status {
        switch error {
        case .jobNotFound, .modelNotFound, .unknownDomain, .unknownExpert, .blobNotFound: .notFound
        case .invalidJobTransition, .leaseLost, .headMoved, .modelBusy: .conflict
        case .invalidArgument, .inputDimensionMismatch, .labelsNotExtended: .badRequest
        case .diskFull: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
        // A database server that cannot be reached right now is as transient as a busy one.
        case .busy, .cannotOpen: .serviceUnavailable
        case .blobCorrupted, .blobUndecodable, .invalidExpertReference, .database, .server: .internalServerError
        }
    }

    static func isInputError(_ error: any GroveError) -> Bool {
        error is DatasetError || error is ManifestError || error is CSVError || error is JSONLError
            || error is NPYError || error is IDXError
    }

    /// What was wrong with the bytes of a request. The transport's parser finds it (while a
    /// route reads the body, say), so it is the client's fault, not an internal error.
    static func describe(_ error: HTTPParserError) -> String {
        if case .invalidEOFState = error {
            return "the request body ended before its declared Content-Length"
        }
        return "malformed HTTP request: \(error.debugDescription)"
    }

    /// One line: newlines and tabs become spaces.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ").replacingOccurrences(of: "\t", with: " ")
    }

    /// A decoding failure as `field.path: what is wrong`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "(body)" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) must not be null"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.typeName(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is Float.Type, is Double.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : (String(describing: type).hasPrefix("Dictionary") ? "an object" : "\(type)")
        }
    }
}

/// The body of every error answer.
public struct APIErrorBody: Codable, Sendable, Equatable {
    /// The one-line message.
    public var error: String

    /// An error body.
    public init(error: String) {
        self.error = error
    }
}

/// Byte counts for messages.
enum ByteCount {
    /// `512 MiB`, `3 KiB`, `17 bytes`.
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
