import Foundation
import GroveNumerics

/// Reads a JSON predict body, `{"x": [[number, …], …]}` (`PredictRequest` in
/// `schemas/openapi.yaml`), from its bytes straight into one row-major Float buffer.
///
/// A scanner over the bytes rather than a `Decodable` type: decoding `[[Float]]` through
/// Foundation cost a predict far more than the model did. It stops at the first fault, before
/// reading further rows: a row of another width than the first, a value beyond the float
/// range, more than `maxRows` rows, an unknown field or bytes that are not JSON, each a 400
/// that says where. Numbers follow JSON's grammar and become the nearest `Float` (as
/// `strtof` rounds them, like the CSV reader), so the same values give the same features
/// from JSON, CSV or NPY; one too small for a float becomes 0 or a subnormal.
struct PredictJSONReader {
    /// The largest magnitude of a feature: the largest finite `Float`.
    static let largest = Double(Float.greatestFiniteMagnitude)

    private let bytes: UnsafeRawBufferPointer
    private var at = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The rows of the body `bytes`, at most `maxRows` of them.
    /// - Throws: ``APIError`` 400 naming the fault.
    static func rows(_ bytes: UnsafeRawBufferPointer, maxRows: Int) throws(APIError) -> Matrix {
        var reader = PredictJSONReader(bytes)
        return try reader.body(maxRows: maxRows)
    }

    private var byte: UInt8? { at < bytes.count ? bytes[at] : nil }

    private mutating func skipSpace() {
        while at < bytes.count {
            switch bytes[at] {
            case 0x20, 0x09, 0x0A, 0x0D: at += 1
            default: return
            }
        }
    }

    /// A 400 for bytes that are not the JSON expected here.
    private func malformed(_ expected: String) -> APIError {
        let found = byte.map { $0 >= 0x21 && $0 < 0x7F ? "'\(Character(Unicode.Scalar($0)))'" : String(format: "byte 0x%02X", $0) } ?? "the end of the body"
        return .badRequest("invalid request body: expected \(expected) at byte \(at), found \(found)")
    }

    private mutating func expect(_ ascii: Unicode.Scalar, _ what: String) throws(APIError) {
        skipSpace()
        guard byte == UInt8(ascii: ascii) else { throw malformed(what) }
        at += 1
    }

    private mutating func body(maxRows: Int) throws(APIError) -> Matrix {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { at = 3 }
        try expect("{", "a JSON object")
        var rows: Matrix?
        skipSpace()
        if byte != UInt8(ascii: "}") {
            while true {
                skipSpace()
                let key = try string()
                try expect(":", "':' after a field name")
                guard key == "x" else {
                    let name = key.count > 64 ? String(key.prefix(64)) + "…" : key
                    throw .badRequest("\(name): unknown field; allowed: x")
                }
                guard rows == nil else { throw .badRequest("x: appears twice") }
                rows = try matrix(maxRows: maxRows)
                skipSpace()
                guard byte == UInt8(ascii: ",") else { break }
                at += 1
            }
        }
        try expect("}", "',' or '}' in the object")
        skipSpace()
        guard at == bytes.count else { throw malformed("the end of the body") }
        guard let rows else { throw .badRequest("invalid request body: x is required") }
        return rows
    }

    /// A field name. Names with escapes are decoded by the standard library's JSON parser.
    private mutating func string() throws(APIError) -> String {
        guard byte == UInt8(ascii: "\"") else { throw malformed("a field name in quotes") }
        at += 1
        let start = at
        var escaped = false
        while at < bytes.count, bytes[at] != UInt8(ascii: "\"") {
            if bytes[at] < 0x20 { throw malformed("a field name without control characters") }
            if bytes[at] == UInt8(ascii: "\\") {
                escaped = true
                at += 1
            }
            at += 1
        }
        guard at < bytes.count else { throw malformed("'\"' closing the field name") }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<at])
        at += 1
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        guard let name = JSONLiteral.decodeString(UnsafeRawBufferPointer(rebasing: bytes[(start - 1)..<at])) else {
            throw .badRequest("invalid request body: the field name ending at byte \(at) has an invalid escape")
        }
        return name
    }

    /// `x`: an array of at least one row, each an array of numbers as wide as the first.
    private mutating func matrix(maxRows: Int) throws(APIError) -> Matrix {
        skipSpace()
        guard byte == UInt8(ascii: "[") else { throw .badRequest("x: expected an array of rows") }
        at += 1
        skipSpace()
        guard byte != UInt8(ascii: "]") else { throw .badRequest("x: must hold at least 1 row") }
        var storage: [Float] = []
        var width = 0
        var count = 0
        while true {
            guard count < maxRows else { throw .badRequest("x: must hold at most \(maxRows) rows") }
            skipSpace()
            guard byte == UInt8(ascii: "[") else { throw .badRequest("x[\(count)]: expected an array of numbers") }
            at += 1
            let start = storage.count
            skipSpace()
            if byte != UInt8(ascii: "]") {
                while true {
                    skipSpace()
                    let feature = storage.count - start
                    if count > 0, feature == width {
                        throw .badRequest("x[\(count)] has more than \(width) features, x[0] has \(width)")
                    }
                    storage.append(try number(row: count, feature: feature))
                    skipSpace()
                    guard byte == UInt8(ascii: ",") else { break }
                    at += 1
                }
            }
            try expect("]", "',' or ']' in x[\(count)]")
            let features = storage.count - start
            if count == 0 {
                guard features > 0 else { throw .badRequest("x[0]: must hold at least 1 feature") }
                width = features
                storage.reserveCapacity(min(maxRows, bytes.count / (2 * width) + 1) * width)
            } else if features != width {
                throw .badRequest("x[\(count)] has \(features) features, x[0] has \(width)")
            }
            count += 1
            skipSpace()
            guard byte == UInt8(ascii: ",") else { break }
            at += 1
        }
        try expect("]", "',' or ']' in x")
        return Matrix(rows: count, cols: width, storage: storage)
    }

    /// A JSON number as the nearest Float. Up to 7 significant digits with a decimal exponent
    /// of at most 10 either way are converted exactly with one correctly rounded float
    /// operation (the common case: pixels, short decimals); longer ones go to `strtof`.
    private mutating func number(row: Int, feature: Int) throws(APIError) -> Float {
        let start = at
        var negative = false
        if byte == UInt8(ascii: "-") {
            negative = true
            at += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        // Integer part: 0, or a digit 1-9 followed by digits.
        guard let first = byte, first >= 0x30, first <= 0x39 else {
            throw .badRequest("x[\(row)][\(feature)]: expected a number")
        }
        if first == 0x30 {
            at += 1
        } else {
            while let d = byte, d >= 0x30, d <= 0x39 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(d - 0x30); digits += 1 } else { exponent += 1 }
                at += 1
            }
        }
        if byte == UInt8(ascii: ".") {
            at += 1
            guard let d = byte, d >= 0x30, d <= 0x39 else { throw malformed("a digit after '.'") }
            while let d = byte, d >= 0x30, d <= 0x39 {
                if mantissa == 0, d == 0x30 {
                    exponent -= 1
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d - 0x30)
                    digits += 1
                    exponent -= 1
                }
                at += 1
            }
        }
        if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            at += 1
            var negativeExponent = false
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                negativeExponent = byte == UInt8(ascii: "-")
                at += 1
            }
            guard let d = byte, d >= 0x30, d <= 0x39 else { throw malformed("a digit in the exponent") }
            var written = 0
            while let d = byte, d >= 0x30, d <= 0x39 {
                if written < 100_000 { written = written * 10 + Int(d - 0x30) }
                at += 1
            }
            exponent += negativeExponent ? -written : written
        }
        let value: Float
        if mantissa == 0 {
            value = 0
        } else if mantissa < (1 << 24), (-10...10).contains(exponent), digits < 19 {
            let m = Float(mantissa)
            value = exponent < 0 ? m / Self.powersOfTen[-exponent] : m * Self.powersOfTen[exponent]
        } else {
            value = Self.strtof(UnsafeRawBufferPointer(rebasing: bytes[start..<at])).magnitude
        }
        guard value.isFinite else {
            throw .badRequest("x[\(row)][\(feature)]: must be between -\(Self.largest) and \(Self.largest)")
        }
        return negative ? -value : value
    }

    /// 10⁰ … 10¹⁰, each exact in a Float.
    private static let powersOfTen: [Float] = (0...10).map { power in (0..<power).reduce(Float(1)) { value, _ in value * 10 } }

    /// The correctly rounded Float of a number already checked against JSON's grammar.
    private static func strtof(_ token: UnsafeRawBufferPointer) -> Float {
        // Copied with a terminating NUL: the body's next byte may be a digit of nothing.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: token.count + 1) { text in
            guard let base = text.baseAddress else { return .nan }
            for (index, byte) in token.enumerated() { base[index] = CChar(bitPattern: byte) }
            base[token.count] = 0
            return Foundation.strtof(base, nil)
        }
    }
}
