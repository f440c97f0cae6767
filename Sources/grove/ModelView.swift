import Foundation
import GroveService

extension ClientOptions {
    /// Shows one read-only view of the chosen model (`GET /v1/models/{model}` + `path`), from
    /// its daemon or its home's database: the answer as it came with `json`, else decoded and
    /// handed to `text`. An error prints one line and exits with status 1.
    func showModelView<View: Decodable>(
        _ view: View.Type, at path: String, json: Bool,
        read: (HomeReader, String) async throws -> Data, text: (View) -> Void
    ) async throws {
        try await reportingErrors {
            let reader = try await makeReader()
            let model = modelName
            let data = try await read(reader, model)
            let decoded = try reader.decode(View.self, from: data, request: "GET " + GroveClient.modelPath(model, path))
            if json {
                try printJSON(raw: data)
            } else {
                text(decoded)
            }
        }
    }
}
