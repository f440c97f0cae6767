import GroveNumerics

/// A predict body (`{"x": [[Float]]}`, `PredictRequest` in `schemas/openapi.yaml`) decoded
/// row by row into one matrix: a row of another width than the first, a value past the float
/// range, more than `maxRows` rows or an unknown field stops decoding at once, before the
/// rest of the rows are turned into numbers.
struct PredictBody: Decodable {
    /// The rows, one sample each.
    let x: Matrix

    /// The largest magnitude of a feature: the largest finite `Float`.
    static let largest = Double(Float.greatestFiniteMagnitude)

    /// The most rows a body may hold, set by the route before decoding.
    static let maxRowsKey = CodingUserInfoKey(rawValue: "grove.maxPredictRows")

    private enum Keys: String, CodingKey { case x }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let maxRows = Self.maxRowsKey.flatMap { decoder.userInfo[$0] as? Int } ?? Int.max
        if let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue).sorted().first(where: { $0 != "x" }) {
            throw APIError.badRequest("\(unknown): unknown field; allowed: x")
        }
        let container = try decoder.container(keyedBy: Keys.self)
        var rows = try container.nestedUnkeyedContainer(forKey: .x)
        var storage: [Float] = []
        var width = 0
        var count = 0
        while !rows.isAtEnd {
            guard count < maxRows else { throw APIError.badRequest("x: must hold at most \(maxRows) rows") }
            guard var row = try? rows.nestedUnkeyedContainer() else {
                throw APIError.badRequest("x[\(count)]: expected an array of numbers")
            }
            let start = storage.count
            while !row.isAtEnd {
                // Read as a double and rounded: a number too small for a float becomes 0 (or a
                // subnormal); one too large for a float is refused.
                let value = try row.decode(Double.self)
                guard abs(value) <= Self.largest else {
                    throw APIError.badRequest("x[\(count)][\(storage.count - start)]: must be between -\(Self.largest) and \(Self.largest)")
                }
                storage.append(Float(value))
                if count > 0, storage.count - start > width {
                    throw APIError.badRequest("x[\(count)] has more than \(width) features, x[0] has \(width)")
                }
            }
            let features = storage.count - start
            if count == 0 {
                guard features > 0 else { throw APIError.badRequest("x[0]: must hold at least 1 feature") }
                width = features
            } else if features != width {
                throw APIError.badRequest("x[\(count)] has \(features) features, x[0] has \(width)")
            }
            count += 1
        }
        guard count > 0 else { throw APIError.badRequest("x: must hold at least 1 row") }
        x = Matrix(rows: count, cols: width, storage: storage)
    }
}
