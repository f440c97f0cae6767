import GroveReport
import Hummingbird

extension GroveAPI {
    /// `GET /v1/report?format=json|html|markdown|table` (default `json`): the model's report.
    /// - Throws: 400 for an unknown format.
    func report(_ request: Request) async throws -> Response {
        let format = try ReportFormat(parsing: request.uri.queryParameters.get("format") ?? "json")
        let text = try await views.report(format: format)
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
