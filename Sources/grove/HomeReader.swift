import Foundation
import GroveData
import GroveNumerics
import GroveReport
import GroveService
import GroveStore

/// Where a read-only command gets its answers: the daemon over HTTP, or the views of a home
/// computed from its database in this process. Both give the same JSON bytes.
enum HomeReader {
    case daemon(GroveClient)
    case local(HomeViews)

    /// `GET /v1/status` or the same view.
    func status() async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw("/v1/status")
        case .local(let views): try HomeViews.json(try await views.status())
        }
    }

    /// `GET /v1/jobs[?state=…]` or the same view.
    func jobs(states: [JobState]) async throws -> Data {
        switch self {
        case .daemon(let client):
            try await client.raw("/v1/jobs" + (states.isEmpty ? "" : "?state=" + states.map(\.rawValue).joined(separator: ",")))
        case .local(let views):
            try HomeViews.json(try await views.jobs(states: states.isEmpty ? nil : Set(states)))
        }
    }

    /// `GET /v1/domains` or the same view.
    func domains() async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw("/v1/domains")
        case .local(let views): try HomeViews.json(await views.domains())
        }
    }

    /// `GET /v1/experts` or the same view.
    func experts() async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw("/v1/experts")
        case .local(let views): try HomeViews.json(await views.experts())
        }
    }

    /// The report in `format` (table, json, markdown or html).
    func report(format: String) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.report(format: format)
        case .local(let views): Data(try await views.report(format: try ReportFormat(parsing: format)).utf8)
        }
    }

    /// Predictions for `rows`, each of the model's input width.
    func predict(_ rows: [[Float]]) async throws -> [Prediction] {
        switch self {
        case .daemon(let client):
            return try await client.predict(rows)
        case .local(let views):
            let width = rows.first?.count ?? 0
            guard rows.allSatisfy({ $0.count == width }) else { throw ServiceError.badInput("rows of different widths") }
            return try await views.predict(Matrix(rows: rows.count, cols: width, storage: rows.flatMap { $0 }))
        }
    }

    /// Decodes an answer, naming `request` when it does not decode.
    /// - Throws: `ClientError.badResponse`.
    func decode<T: Decodable>(_ type: T.Type, from data: Data, request: String) throws -> T {
        try GroveClient.decodeAnswer(type, from: data, request: request)
    }
}
