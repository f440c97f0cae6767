import GroveNumerics
import Hummingbird

extension GroveAPI {
    /// `POST /v1/models/{model}/predict` (`POST /v1/predict` for `default`): each row's most
    /// probable label and the experts the gate chose for it, from rows sent as JSON
    /// (`{"x": [[Float]]}`), as a 2-D NPY array or as raw little-endian float32
    /// (``PredictInput/Encoding``). The answer is JSON, or with `Accept: application/x-npy`
    /// every class's probability as NPY, the version in the `Grove-Model-Version` header.
    ///
    /// The rows are computed on the version served (``ServedModel``) right here, concurrently
    /// with other requests, without waiting for the model's actor.
    /// - Throws: 400 for no rows, ragged rows, more than ``GroveHTTPConfiguration/maxPredictRows``,
    ///   a width other than the model's or a malformed name; 404 for an unknown model; 409 before
    ///   the model's first phase (`ServiceError.noModel`); 413 over ``GroveHTTPConfiguration/maxPredictBodySize``.
    func predict(_ request: Request, model: String) async throws -> Response {
        try ModelName.validate(model)
        let body = try await JSONBody.collectBuffer(request, limit: configuration.maxPredictBodySize, flag: "--max-predict-bytes")
        let encoding = PredictInput.Encoding(contentType: request.headers[.contentType])
        guard body.readableBytes > 0 else {
            throw APIError.badRequest(encoding == .json ? "the request needs a JSON body {\"x\": [[…]]}" : "the request needs a body of rows")
        }
        // Raw float32 rows need the model's width to be read; other bodies are checked first.
        let known = encoding == .float32 ? try await views.served(model: model) : nil
        let x = try PredictInput.rows(body, encoding: encoding, request: request, width: known?.inputs, maxRows: configuration.maxPredictRows)
        let served: ServedModel
        if let known { served = known } else { served = try await views.served(model: model) }
        let batch = try served.predict(x)
        switch PredictAnswer.Encoding(accept: request.headers[.accept]) {
        case .json:
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: PredictAnswer.json(batch, labels: served.labelLiterals)))
        case .npy:
            var headers: HTTPFields = [.contentType: PredictInput.Encoding.npy.mediaType]
            if let name = PredictInput.versionHeader { headers[name] = String(batch.version) }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: PredictAnswer.npy(batch)))
        }
    }
}
