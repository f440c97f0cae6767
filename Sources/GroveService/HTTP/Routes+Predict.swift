import Foundation
import GroveNumerics
import Hummingbird

extension GroveAPI {
    /// `POST /v1/models/{model}/predict` (`POST /v1/predict` for `default`) with
    /// `{"x": [[Float]]}`: the most probable label of each row and the experts the gate chose for it.
    /// - Throws: 400 for no rows, ragged rows, more than ``GroveHTTPConfiguration/maxPredictRows``,
    ///   a width other than the model's or a malformed name; 404 for an unknown model; 409 before
    ///   the model's first phase (`ServiceError.noModel`); 413 over ``GroveHTTPConfiguration/maxPredictBodySize``.
    func predict(_ request: Request, model: String) async throws -> Response {
        try ModelName.validate(model)
        let data = try await JSONBody.collect(request, limit: configuration.maxPredictBodySize, flag: "--max-predict-bytes")
        guard !data.isEmpty else { throw APIError.badRequest("the request needs a JSON body {\"x\": [[…]]}") }
        let decoder = JSONDecoder()
        if let key = PredictBody.maxRowsKey { decoder.userInfo[key] = configuration.maxPredictRows }
        let body = try decoder.decode(PredictBody.self, from: data)
        let (predictions, version) = try await views.predictWithVersion(model: model, body.x)
        return try JSONBody.response(APIPredictResponse(predictions: predictions, version: version))
    }
}
