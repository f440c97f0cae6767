import GroveNumerics
import Hummingbird

extension GroveAPI {
    /// `POST /v1/models/{model}/predict` (`POST /v1/predict` for `default`) with
    /// `{"x": [[Float]]}`: the most probable label of each row and the experts the gate chose for it.
    /// - Throws: 400 for no rows, ragged rows, a width other than the model's or a malformed
    ///   name; 404 for an unknown model; 409 before the model's first phase (`ServiceError.noModel`).
    func predict(_ request: Request, model: String) async throws -> Response {
        let body = try await JSONBody.decode(APIPredictRequest.self, from: request, limit: configuration.maxBodySize)
        guard let width = body.x.first?.count, width > 0 else {
            throw APIError.badRequest("x must hold at least one row of features")
        }
        var storage: [Float] = []
        storage.reserveCapacity(body.x.count * width)
        for (i, row) in body.x.enumerated() {
            guard row.count == width else {
                throw APIError.badRequest("x[\(i)] has \(row.count) features, x[0] has \(width)")
            }
            guard row.allSatisfy(\.isFinite) else { throw APIError.badRequest("x[\(i)] holds a value that is not finite") }
            storage.append(contentsOf: row)
        }
        let predictions = try await views.predict(model: model, Matrix(rows: body.x.count, cols: width, storage: storage))
        return try JSONBody.response(APIPredictResponse(predictions: predictions))
    }
}
