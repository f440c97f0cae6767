import GroveReport
import Hummingbird

extension GroveAPI {
    /// `GET /v1/models/{model}/report?format=json|html|markdown|table` (default `json`;
    /// `GET /v1/report` for `default`): the model's report.
    /// - Throws: 400 for an unknown format or a malformed name, 404 for an unknown model.
    func report(_ request: Request, model: String) async throws -> Response {
        let format = try ReportFormat(parsing: request.uri.queryParameters.get("format") ?? "json")
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
