import GroveReport
import Hummingbird

extension GroveAPI {
    /// `GET /v1/models/{model}/report?format=json|html|markdown|table` (default `json`;
    /// `GET /v1/report` for `default`): the model's report.
    /// - Throws: 400 for a format other than these four (exactly as written) or a malformed name,
    ///   404 for an unknown model.
    func report(_ request: Request, model: String) async throws -> Response {
        let name = request.uri.queryParameters.get("format") ?? ReportFormat.json.rawValue
        guard let format = ReportFormat(rawValue: name) else {
            let known = ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.badRequest("query parameter 'format': unknown report format '\(name)'; use one of \(known)")
        }
        let text = try await views.report(model: model, format: format)
        return JSONBody.text(text, contentType: Self.contentType(of: format))
    }

    /// The media type of a rendered report.
    static func contentType(of format: ReportFormat) -> String {
        switch format {
        case .json: "application/json"
        case .html: "text/html; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .table: "text/plain; charset=utf-8"
        }
    }
}
