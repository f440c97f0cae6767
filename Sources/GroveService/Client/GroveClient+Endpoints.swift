import Foundation
import GroveData
import GroveStore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// MARK: - Routes

extension GroveClient {
    /// `GET /healthz`: `true` when the daemon answers "ok".
    /// - Throws: ``ClientError``.
    public func health() async throws -> Bool {
        let data = try await send(try request("GET", "/healthz"))
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "ok"
    }

    /// `POST /v1/files`: streams the file at `url` from disk to the daemon, which stores it
    /// durably under its content hash.
    /// - Parameters:
    ///   - url: a local file.
    ///   - name: the name the daemon sees (its extension tells the format); the file's own by default.
    /// - Returns: the stored path on the daemon's machine and the SHA-256.
    /// - Throws: ``ClientError``.
    public func upload(fileAt url: URL, name: String? = nil) async throws -> APIUpload {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ClientError.unreadableFile(path: url.path, reason: "no such file")
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: url.path) else {
            throw ClientError.unreadableFile(path: url.path, reason: isDirectory.boolValue ? "a directory" : "permission denied")
        }
        let fileName = name ?? url.lastPathComponent
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "name", value: fileName)]
        let query = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
        let request = try request("POST", "/v1/files?" + query, contentType: "application/octet-stream")
        let data = try await send(request, file: url)
        return try decode(APIUpload.self, from: data, request: "POST /v1/files")
    }

    /// `POST /v1/jobs`: queues a job for `spec`, or returns the job an identical earlier
    /// submission made (`created == false`).
    /// - Throws: ``ClientError``.
    public func submit(_ spec: DatasetSpec, model: String = ModelName.standard) async throws -> APIJobSubmitted {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let body = try encoder.encode(APIJobSubmission(model: model, spec: spec))
        let data = try await send(try request("POST", "/v1/jobs", contentType: "application/json"), body: body)
        return try decode(APIJobSubmitted.self, from: data, request: "POST /v1/jobs")
    }

    /// `GET /v1/jobs`: every job, or those of `model` and in `states`, as the daemon orders them,
    /// fetched page by page (``jobsPageSize`` at a time).
    /// - Throws: ``ClientError``.
    public func jobs(model: String? = nil, states: [JobState] = []) async throws -> [APIJob] {
        var jobs: [APIJob] = []
        var after: Int64 = 0
        while true {
            let path = Self.jobsPath(model: model, states: states, after: after, limit: Self.jobsPageSize)
            let page = try decode([APIJob].self, from: try await raw(path), request: "GET /v1/jobs")
            jobs += page
            guard page.count == Self.jobsPageSize, let last = page.last else { return jobs }
            after = last.id
        }
    }

    /// How many jobs ``jobs(model:states:)`` asks for at once: the daemon's largest page.
    public static let jobsPageSize = 1000

    /// `GET /v1/jobs/{id}`.
    /// - Throws: ``ClientError`` (`.status(code: 404, …)` for an unknown job).
    public func job(id: Int64) async throws -> APIJob {
        try decode(APIJob.self, from: try await raw("/v1/jobs/\(id)"), request: "GET /v1/jobs/\(id)")
    }

    /// `POST /v1/jobs/{id}/retry`: queues a failed or cancelled job again, as if new.
    /// - Returns: the queued job.
    /// - Throws: ``ClientError`` (`.status(code: 404, …)` for an unknown job, `409` for one that
    ///   is not failed or cancelled or whose files were removed).
    public func retry(jobID id: Int64) async throws -> APIJob {
        let path = "/v1/jobs/\(id)/retry"
        let data = try await send(try request("POST", path, contentType: "application/json"), body: Data("{}".utf8))
        return try decode(APIJob.self, from: data, request: "POST " + path)
    }

    /// `GET /v1/models`: every model with its input dimension and size.
    /// - Throws: ``ClientError``.
    public func models() async throws -> [APIModelSummary] {
        try decode([APIModelSummary].self, from: try await raw("/v1/models"), request: "GET /v1/models")
    }

    /// `GET /v1/models/{model}`: the model's status.
    /// - Throws: ``ClientError`` (`.status(code: 404, …)` for an unknown model).
    public func status(model: String = ModelName.standard) async throws -> APIStatus {
        let path = Self.modelPath(model)
        return try decode(APIStatus.self, from: try await raw(path), request: "GET " + path)
    }

    /// `GET /v1/models/{model}/domains`.
    /// - Throws: ``ClientError``.
    public func domains(model: String = ModelName.standard) async throws -> [APIDomain] {
        let path = Self.modelPath(model, "/domains")
        return try decode([APIDomain].self, from: try await raw(path), request: "GET " + path)
    }

    /// `GET /v1/models/{model}/experts`.
    /// - Throws: ``ClientError``.
    public func experts(model: String = ModelName.standard) async throws -> [APIExpert] {
        let path = Self.modelPath(model, "/experts")
        return try decode([APIExpert].self, from: try await raw(path), request: "GET " + path)
    }

    /// `GET /v1/models/{model}/report?format=…`: the report rendered by the daemon (`json`,
    /// `html`, `markdown` or `table`).
    /// - Throws: ``ClientError``.
    public func report(model: String = ModelName.standard, format: String) async throws -> Data {
        try await raw(Self.modelPath(model, "/report") + "?format=" + format)
    }

    /// `POST /v1/models/{model}/predict`: one prediction per row of `rows` (each of the model's
    /// input dimension).
    /// - Throws: ``ClientError``.
    public func predict(_ rows: [[Float]], model: String = ModelName.standard) async throws -> [Prediction] {
        try await predictAnswer(rows, model: model).predictions
    }

    /// `POST /v1/models/{model}/predict`: the predictions and the model version that made them.
    /// - Throws: ``ClientError/raggedRows(row:features:first:)`` for rows of different widths,
    ///   or another ``ClientError``.
    public func predictAnswer(_ rows: [[Float]], model: String = ModelName.standard) async throws -> APIPredictResponse {
        let width = rows.first?.count ?? 0
        if let row = rows.firstIndex(where: { $0.count != width }) {
            throw ClientError.raggedRows(row: row, features: rows[row].count, first: width)
        }
        return try await predictAnswer(FeatureRows(features: rows.flatMap { $0 }, dimension: width, count: rows.count, source: "rows"), model: model)
    }

    /// `POST /v1/models/{model}/predict` with the rows as a float32 NPY body (exact, and
    /// several times cheaper for the daemon to read than JSON): the predictions and the model
    /// version that made them. A daemon from before binary bodies (415) gets them as JSON.
    /// - Throws: ``ClientError``.
    public func predictAnswer(_ rows: FeatureRows, model: String = ModelName.standard) async throws -> APIPredictResponse {
        let path = Self.modelPath(model, "/predict")
        var request = try request("POST", path, contentType: "application/x-npy")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let data: Data
        do {
            data = try await send(request, body: FeatureRowsWriter.npy(rows))
        } catch ClientError.status(code: 415, _) {
            struct Body: Encodable { let x: [[Float]] }
            let x = (0..<rows.count).map { Array(rows.features[($0 * rows.dimension)..<(($0 + 1) * rows.dimension)]) }
            data = try await send(try self.request("POST", path, contentType: "application/json"), body: try JSONEncoder().encode(Body(x: x)))
        }
        let answer = try decode(APIPredictResponse.self, from: data, request: "POST " + path)
        guard answer.predictions.count == rows.count else {
            throw ClientError.badResponse(request: "POST " + path, reason: "\(answer.predictions.count) predictions for \(rows.count) samples")
        }
        return answer
    }

    /// `/v1/models/{model}` followed by `suffix`, the name percent-encoded.
    public static func modelPath(_ model: String, _ suffix: String = "") -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return "/v1/models/" + (model.addingPercentEncoding(withAllowedCharacters: unreserved) ?? model) + suffix
    }

    /// `/v1/jobs` with the query that keeps the jobs of `model` (all when `nil`) in `states` (all
    /// when empty), and the page: at most `limit` jobs (the daemon's default when `nil`) whose id
    /// is above `after`.
    public static func jobsPath(model: String?, states: [JobState], after: Int64? = nil, limit: Int? = nil) -> String {
        var components = URLComponents()
        var items: [URLQueryItem] = []
        if !states.isEmpty { items.append(URLQueryItem(name: "state", value: states.map(\.rawValue).joined(separator: ","))) }
        if let model { items.append(URLQueryItem(name: "model", value: model)) }
        if let after, after > 0 { items.append(URLQueryItem(name: "after", value: String(after))) }
        if let limit { items.append(URLQueryItem(name: "limit", value: String(limit))) }
        components.queryItems = items
        let query = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
        return "/v1/jobs" + (query.isEmpty ? "" : "?" + query)
    }

    /// The body of a `GET` of `path` (e.g. to print the daemon's JSON unchanged).
    /// - Throws: ``ClientError``.
    public func raw(_ path: String) async throws -> Data {
        try await send(try request("GET", path))
    }
}

extension GroveClient {
    /// `POST /v1/jobs/{id}/cancel`: cancels a queued or running job.
    /// - Throws: ``ClientError`` (`.status(code: 409, …)` for a job that has already ended).
    public func cancel(jobID: Int64) async throws -> APIJob {
        let path = "/v1/jobs/\(jobID)/cancel"
        let data = try await send(try request("POST", path, contentType: "application/json"), body: Data("{}".utf8))
        return try decode(APIJob.self, from: data, request: "POST \(path)")
    }

    /// `POST /v1/models/{model}/versions/{number}/rollback`: makes version `number` of `model`
    /// the one that predicts and the base of the next phase; returns the rollback's new version.
    public func rollback(model: String, to number: Int) async throws -> APIVersion {
        let path = Self.modelPath(model, "/versions/\(number)/rollback")
        let data = try await send(try request("POST", path, contentType: "application/json"), body: Data("{}".utf8))
        return try decode(APIVersion.self, from: data, request: "POST \(path)")
    }
}
