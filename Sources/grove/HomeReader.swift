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

    /// `GET /v1/models` or the same view.
    func models() async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw("/v1/models")
        case .local(let views): try HomeViews.json(try await views.models())
        }
    }

    /// `GET /v1/models/{model}` or the same view.
    func status(model: String) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw(GroveClient.modelPath(model))
        case .local(let views): try HomeViews.json(try await views.status(model: model))
        }
    }

    /// Every page of `GET /v1/jobs[?state=…&model=…]` as one array, or the same view.
    func jobs(model: String?, states: [JobState]) async throws -> Data {
        switch self {
        case .daemon(let client):
            try HomeViews.json(try await client.jobs(model: model, states: states))
        case .local(let views):
            try HomeViews.json(try await views.jobs(model: model, states: states.isEmpty ? nil : Set(states)))
        }
    }

    /// `GET /v1/models/{model}/domains` or the same view.
    func domains(model: String) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw(GroveClient.modelPath(model, "/domains"))
        case .local(let views): try HomeViews.json(try await views.domains(model: model))
        }
    }

    /// `GET /v1/models/{model}/experts` or the same view.
    func experts(model: String) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw(GroveClient.modelPath(model, "/experts"))
        case .local(let views): try HomeViews.json(try await views.experts(model: model))
        }
    }

    /// `GET /v1/models/{model}/evaluation` or the same view.
    func evaluation(model: String) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw(GroveClient.modelPath(model, "/evaluation"))
        case .local(let views): try HomeViews.json(try await views.evaluation(model: model))
        }
    }

    /// `GET /v1/models/{model}/drift?windows=N` or the same view.
    func drift(model: String, windows: Int) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw(GroveClient.modelPath(model, "/drift") + "?windows=\(windows)")
        case .local(let views): try HomeViews.json(try await views.drift(model: model, windows: windows))
        }
    }

    /// `GET /v1/models/{model}/drift/{id}/rows?format=` or the same rows, encoded here.
    func candidateRows(model: String, event id: Int64, format: FeatureRowsWriter.Format) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw(GroveClient.modelPath(model, "/drift/\(id)/rows") + "?format=\(format.rawValue)")
        case .local(let views): format.encode(try await views.candidateRows(model: model, event: id))
        }
    }

    /// `GET /v1/models/{model}/versions` or the same view.
    func versions(model: String) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw(GroveClient.modelPath(model, "/versions"))
        case .local(let views): try HomeViews.json(try await views.versions(model: model))
        }
    }

    /// `GET /v1/models/{model}/versions/{number}/safetensors` or the same file, written here.
    func weights(model: String, version: Int) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.raw(GroveClient.modelPath(model, "/versions/\(version)/safetensors"))
        case .local(let views): try await views.weights(model: model, version: version)
        }
    }

    /// The model's report in `format` (table, json, markdown or html).
    func report(model: String, format: String) async throws -> Data {
        switch self {
        case .daemon(let client): try await client.report(model: model, format: format)
        case .local(let views): Data(try await views.report(model: model, format: try ReportFormat(parsing: format)).utf8)
        }
    }

    /// The names of `model`'s features when its first dataset was a CSV, else `nil`.
    func featureNames(model: String) async throws -> [String]? {
        let models = try decode([APIModelSummary].self, from: try await models(), request: "/v1/models")
        return models.first { $0.name == model }?.features
    }

    /// The model's predictions for `rows`, each of its input width (a daemon gets them as NPY).
    func predict(_ rows: FeatureRows, model: String) async throws -> [Prediction] {
        switch self {
        case .daemon(let client):
            return try await client.predictAnswer(rows, model: model).predictions
        case .local(let views):
            return try await views.predict(model: model, Matrix(rows: rows.count, cols: rows.dimension, storage: rows.features))
        }
    }

    /// Decodes an answer, naming `request` when it does not decode.
    /// - Throws: `ClientError.badResponse`.
    func decode<T: Decodable>(_ type: T.Type, from data: Data, request: String) throws -> T {
        try GroveClient.decodeAnswer(type, from: data, request: request)
    }
}
