import Foundation
import Hummingbird

/// JSON in and out: snake_case keys come from each type's `CodingKeys`, the encoding is
/// ``HomeViews/json(_:)``'s, and request bodies are read up to the configured limit.
enum JSONBody {
    /// Encodes `value` as the answer, with `Content-Type: application/json`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try HomeViews.json(value)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A text answer with the given content type.
    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Reads the whole body (at most `limit` bytes) and decodes it.
    /// - Throws: 413 over the limit, 400 for an empty body or a `DecodingError` (mapped to 400).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let data = try await collect(request, limit: limit)
        guard !data.isEmpty else { throw APIError.badRequest("the request needs a JSON body") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: data)
    }

    /// The whole body, at most `limit` bytes.
    /// - Throws: ``APIError/tooLarge(limit:)`` as soon as the declared or received length passes `limit`.
    static func collect(_ request: Request, limit: Int) async throws -> Data {
        try request.checkDeclaredLength(limit: limit)
        var data = Data()
        for try await chunk in BodyLimit(request.body, limit: limit) {
            data.append(contentsOf: chunk.readableBytesView)
        }
        return data
    }
}
