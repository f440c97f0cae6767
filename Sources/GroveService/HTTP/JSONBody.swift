import Foundation
import Hummingbird

/// JSON in and out: snake_case keys come from each type's `CodingKeys`, the encoding is
/// ``HomeViews/json(_:)``'s, and request bodies are read up to their route's limit.
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

    /// The whole body as one buffer, at most `limit` bytes: a body that arrived in one piece is
    /// not copied, one in several is copied once into a buffer of its declared length.
    /// - Throws: as ``collect(_:limit:flag:)``.
    static func collectBuffer(_ request: Request, limit: Int, flag: String? = nil) async throws -> ByteBuffer {
        let declared = try request.checkDeclaredLength(limit: limit, flag: flag)
        var buffer = ByteBuffer()
        for try await chunk in BodyLimit(request.body, limit: limit, flag: flag) {
            if buffer.readableBytes == 0 {
                buffer = chunk
            } else {
                // Not grown by doubling, each step copying what came so far.
                if let declared, declared > buffer.readableBytes + chunk.readableBytes {
                    buffer.reserveCapacity(minimumWritableBytes: declared - buffer.readableBytes)
                }
                buffer.writeImmutableBuffer(chunk)
            }
        }
        return buffer
    }

    /// The whole body, at most `limit` bytes (`flag` names the `grove daemon` option that raises it).
    /// - Throws: ``APIError/tooLarge(limit:flag:)`` as soon as the declared or received length passes `limit`.
    static func collect(_ request: Request, limit: Int, flag: String? = nil) async throws -> Data {
        try request.checkDeclaredLength(limit: limit, flag: flag)
        var data = Data()
        for try await chunk in BodyLimit(request.body, limit: limit, flag: flag) {
            data.append(contentsOf: chunk.readableBytesView)
        }
        return data
    }
}
