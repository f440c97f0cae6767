import GroveData
import GroveNumerics
import HTTPTypes
import Hummingbird

/// A predict request's rows, read from its body in the encoding its `Content-Type` names.
enum PredictInput {
    /// The encodings `POST /v1/predict` takes.
    enum Encoding: CaseIterable {
        /// `{"x": [[…], …]}` (``PredictJSONReader``).
        case json
        /// A 2-D NPY array `(rows, features)` of any numeric dtype the dataset readers take.
        case npy
        /// Rows of little-endian float32 features back to back, the row count in the `rows`
        /// query parameter or the `Grove-Rows` header.
        case float32

        /// The `Content-Type` of a body in this encoding.
        var mediaType: String {
            switch self {
            case .json: "application/json"
            case .npy: "application/x-npy"
            case .float32: "application/octet-stream"
            }
        }

        /// The encoding `contentType` names (route checks have refused any other).
        init(contentType: String?) {
            let type = contentType.map { BodyType.mediaType($0).type }
            self = Self.allCases.first { $0.mediaType == type } ?? .json
        }
    }

    /// The header that may carry a raw float32 body's row count.
    static let rowsHeader = HTTPField.Name("Grove-Rows")
    /// The header of an NPY answer that names the model version that made it.
    static let versionHeader = HTTPField.Name("Grove-Model-Version")

    /// The rows of `body`, at most `maxRows` of them; raw float32 rows are `width` features
    /// wide (the model's width, which the other encodings do not need).
    /// - Throws: ``APIError`` 400 naming what is wrong; NPY faults as the dataset readers
    ///   describe them, naming the "request body".
    static func rows(_ body: ByteBuffer, encoding: Encoding, request: Request, width: Int?, maxRows: Int) throws -> Matrix {
        let rows: Matrix
        switch encoding {
        case .json:
            rows = try body.withUnsafeReadableBytes { bytes throws(APIError) in try PredictJSONReader.rows(bytes, maxRows: maxRows) }
        case .npy:
            let read = try NPYReader.readFeatures(bytes: Array(body.readableBytesView), name: "request body")
            rows = Matrix(rows: read.count, cols: read.dimension, storage: read.features)
        case .float32:
            guard let width else { throw APIError(.internalServerError, "raw float32 rows were read without the model's width") }
            rows = try float32Rows(body, request: request, width: width, maxRows: maxRows)
        }
        guard rows.rows > 0 else { throw APIError.badRequest("the request body holds no rows") }
        guard rows.rows <= maxRows else { throw APIError.badRequest("the request body holds \(rows.rows) rows, more than \(maxRows) (--max-predict-rows)") }
        return rows
    }

    /// A raw float32 body: `rows × width × 4` bytes, every value finite.
    private static func float32Rows(_ body: ByteBuffer, request: Request, width: Int, maxRows: Int) throws -> Matrix {
        let given = request.uri.queryParameters.get("rows").map { ($0, "query parameter 'rows'") }
            ?? rowsHeader.flatMap({ request.headers[$0] }).map { ($0, "header Grove-Rows") }
        guard let (text, name) = given else {
            throw APIError.badRequest("an application/octet-stream body needs its row count in the query parameter 'rows' or the header Grove-Rows")
        }
        let count = Int(try RequestParameters.integer(text, in: 1...Int64(maxRows), name: name))
        let expected = count * width * 4
        guard body.readableBytes == expected else {
            throw APIError.badRequest("request body has \(body.readableBytes) bytes; \(count) rows of \(width) float32 features are \(expected)")
        }
        let storage = [Float](unsafeUninitializedCapacity: count * width) { out, initialized in
            body.withUnsafeReadableBytes { raw in
                for index in 0..<(count * width) {
                    out[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
                }
            }
            initialized = count * width
        }
        if let bad = storage.firstIndex(where: { !$0.isFinite }) {
            throw APIError.badRequest("row \(bad / width), feature \(bad % width): \(storage[bad]) is not a finite number")
        }
        return Matrix(rows: count, cols: width, storage: storage)
    }
}
