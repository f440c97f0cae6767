/// Reads a JSONL dataset: one object `{"x": [numbers], "y": label}` per line.
///
/// `y` is an integer (stored as its decimal name, so `3` and `"3"` are the same label) or a
/// string. Other fields are ignored; blank lines are skipped; the file may be gzip-compressed.
/// A small hand-written parser reads numbers in place with `strtof`, so 10,000 lines of 784
/// values take well under a second. `NaN`, `Infinity` and `-Infinity` (as Python's `json`
/// writes them) are reported as non-finite values, not as syntax errors.
///
/// ```text
/// {"x": [0.0, 0.5, 1.0], "y": 3}
/// {"x": [1.0, 0.25, 0.0], "y": "sandal"}
/// ```
public enum JSONLReader {
    /// Reads the JSONL file at `path`.
    /// - Throws: ``JSONLError`` naming the line of the first defect, ``ReaderLimitError`` for a
    ///   file beyond `limits`, or ``DatasetError`` for unreadable or empty files and files
    ///   without samples.
    public static func read(path: String, limits: ReaderLimits = .standard) throws -> RawDataset {
        let file = FileBytes.displayName(path)
        return try parse(FileBytes.read(path, limits: limits), file: file, limits: limits)
    }

    /// Reads a JSONL file's contents as stored (gzip is detected); `name` names it in messages.
    /// - Throws: as ``read(path:limits:)``.
    public static func read(bytes: [UInt8], name: String, limits: ReaderLimits = .standard) throws -> RawDataset {
        try parse(FileBytes.decode(bytes, name: name, limits: limits), file: name, limits: limits)
    }

    /// Reads the samples of the JSONL file at `path` for prediction: field `y` is optional and
    /// not read.
    /// - Throws: as ``read(path:limits:)``, except for `y`.
    public static func readFeatures(path: String, limits: ReaderLimits = .standard) throws -> FeatureRows {
        let file = FileBytes.displayName(path)
        return FeatureRows(try parse(FileBytes.read(path, limits: limits), file: file, limits: limits, labels: .skipped))
    }

    /// Parses decoded JSONL text; with `labels` ``LabelReading/skipped``, `y` is not read.
    static func parse(_ text: [UInt8], file: String, limits: ReaderLimits, labels labelMode: LabelReading = .required) throws -> RawDataset {
        let bytes = ByteScanner.terminated(text)
        return try bytes.withUnsafeBufferPointer { buffer -> RawDataset in
            guard let p = buffer.baseAddress else { throw DatasetError.emptyFile(file: file) }
            var features: [Float] = []
            var labels = LabelTable()
            var codes: [Int32] = []
            var dimension: Int?
            try ByteScanner.forEachLine(p, count: bytes.count - 1) { range, line in
                guard !ByteScanner.trimmed(p, range).isEmpty else { return }
                try limits.checkRows(codes.count + 1, file: file, at: .line(line))
                var parser = JSONLineParser(
                    p: p, pos: range.lowerBound, end: range.upperBound, file: file, line: line,
                    maxFeatures: limits.maxFeatures)
                let before = features.count
                let label = try parser.parseSample(into: &features, labels: labelMode)
                let width = features.count - before
                if let dimension, width != dimension {
                    throw JSONLError.wrongDimension(file: file, line: line, expected: dimension, actual: width)
                }
                guard width > 0 else { throw JSONLError.wrongDimension(file: file, line: line, expected: dimension ?? 1, actual: 0) }
                dimension = width
                codes.append(try labels.code(for: label, limits: limits, file: file, at: .line(line)))
            }
            guard let dimension else { throw DatasetError.noSamples(file: file) }
            return RawDataset(
                features: features, dimension: dimension, labelNames: labels.names, labelCodes: codes,
                source: file)
        }
    }
}

/// A parser for one JSONL line, positioned in a NUL-terminated buffer.
struct JSONLineParser {
    let p: UnsafePointer<UInt8>
    var pos: Int
    let end: Int
    let file: String
    let line: Int
    /// The most values field `x` may hold (``ReaderLimits/maxFeatures``).
    let maxFeatures: Int

    /// Parses `{"x": [...], "y": ...}`, appending `x` to `features` and returning `y`'s name;
    /// with `labels` ``LabelReading/skipped``, `y` is skipped like any other field and the name
    /// is `""`.
    mutating func parseSample(into features: inout [Float], labels: LabelReading = .required) throws -> String {
        try expect("{")
        var label: String?
        var sawX = false
        skipSpace()
        if peek == UInt8(ascii: "}") { pos += 1 } else {
            while true {
                skipSpace()
                let key = try parseString()
                skipSpace()
                try expect(":")
                skipSpace()
                switch key {
                case "x":
                    guard !sawX else { throw fail("duplicate field 'x'") }
                    sawX = true
                    try parseNumbers(into: &features)
                case "y" where labels == .required:
                    guard label == nil else { throw fail("duplicate field 'y'") }
                    label = try parseLabel()
                default:
                    try skipValue(depth: 0)
                }
                skipSpace()
                if peek == UInt8(ascii: ",") { pos += 1; continue }
                try expect("}")
                break
            }
        }
        skipSpace()
        guard pos == end else { throw fail("unexpected text after the object") }
        guard sawX else { throw JSONLError.missingField(file: file, line: line, field: "x") }
        guard labels == .required else { return "" }
        guard let label else { throw JSONLError.missingField(file: file, line: line, field: "y") }
        return label
    }

    // MARK: - Values

    private mutating func parseNumbers(into features: inout [Float]) throws {
        guard peek == UInt8(ascii: "[") else { throw fail("field 'x' is not an array") }
        pos += 1
        skipSpace()
        if peek == UInt8(ascii: "]") { pos += 1; return }
        var index = 0
        while true {
            skipSpace()
            let token = scanToken()
            guard let value = ByteScanner.float(p, token) else {
                let text = token.isEmpty ? "nothing" : "'\(ByteScanner.excerpt(ByteScanner.string(p, token)))'"
                throw fail("field 'x' value \(index) is \(text), not a number")
            }
            guard value.isFinite else { throw JSONLError.nonFinite(file: file, line: line, index: index) }
            guard index < maxFeatures else {
                throw ReaderLimitError.tooManyFeatures(file: file, at: .line(line), limit: maxFeatures)
            }
            features.append(value)
            index += 1
            skipSpace()
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            guard peek == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in field 'x'") }
            pos += 1
            return
        }
    }

    private mutating func parseLabel() throws -> String {
        if peek == ByteScanner.quote {
            let label = try parseString()
            guard !label.isEmpty else { throw JSONLError.badLabel(file: file, line: line, text: "\"\"") }
            return label
        }
        let token = scanToken()
        let text = ByteScanner.string(p, token)
        if let value = Int(text) { return String(value) }
        if let value = Double(text), value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            return String(Int(value))
        }
        throw JSONLError.badLabel(file: file, line: line, text: text.isEmpty ? "a non-scalar value" : ByteScanner.excerpt(text))
    }

    /// A JSON string (the opening quote at `pos`), with escapes decoded.
    private mutating func parseString() throws -> String {
        guard peek == ByteScanner.quote else { throw fail("expected a string") }
        pos += 1
        let start = pos
        var hasEscape = false
        while pos < end, p[pos] != ByteScanner.quote {
            if p[pos] == UInt8(ascii: "\\") { hasEscape = true; pos += 1 }
            pos += 1
        }
        guard pos < end else { throw fail("unterminated string") }
        let raw = ByteScanner.string(p, start ..< pos)
        pos += 1
        return hasEscape ? try unescape(raw) : raw
    }

    private func unescape(_ raw: String) throws -> String {
        var out = "", scalars = raw.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            guard c == "\\" else { out.unicodeScalars.append(c); continue }
            switch scalars.next() {
            case "n": out += "\n"
            case "t": out += "\t"
            case "r": out += "\r"
            case "b": out += "\u{8}"
            case "f": out += "\u{c}"
            case "u":
                var hex = ""
                for _ in 0 ..< 4 { if let h = scalars.next() { hex.unicodeScalars.append(h) } }
                guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw fail("bad \\u escape")
                }
                out.unicodeScalars.append(scalar)
            case let other?: out.unicodeScalars.append(other)
            case nil: throw fail("bad escape")
            }
        }
        return out
    }

    /// Skips any JSON value (objects and arrays nested up to 64 deep).
    private mutating func skipValue(depth: Int) throws {
        guard depth < 64 else { throw fail("nesting too deep") }
        switch peek {
        case ByteScanner.quote:
            _ = try parseString()
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let close = peek == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
            let isObject = close == UInt8(ascii: "}")
            pos += 1
            skipSpace()
            if peek == close { pos += 1; return }
            while true {
                skipSpace()
                if isObject { _ = try parseString(); skipSpace(); try expect(":"); skipSpace() }
                try skipValue(depth: depth + 1)
                skipSpace()
                if peek == UInt8(ascii: ",") { pos += 1; continue }
                guard peek == close else { throw fail("unbalanced brackets") }
                pos += 1
                return
            }
        default:
            guard !scanToken().isEmpty else { throw fail("expected a value") }
        }
    }

    // MARK: - Bytes

    private var peek: UInt8 { pos < end ? p[pos] : 0 }

    private mutating func skipSpace() {
        while pos < end, ByteScanner.isSpace(p[pos]) { pos += 1 }
    }

    /// The bytes up to the next delimiter: a number, `true`, `NaN`, ...
    private mutating func scanToken() -> Range<Int> {
        let start = pos
        while pos < end {
            let c = p[pos]
            if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}")
                || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") || c == ByteScanner.quote
                || c == UInt8(ascii: ":") || ByteScanner.isSpace(c) { break }
            pos += 1
        }
        return start ..< pos
    }

    private mutating func expect(_ char: Unicode.Scalar) throws {
        guard peek == UInt8(ascii: char) else {
            throw fail(pos < end ? "expected '\(char)' at column \(pos - lineStart + 1)" : "expected '\(char)' before the end of the line")
        }
        pos += 1
    }

    private var lineStart: Int {
        var i = pos
        while i > 0, p[i - 1] != ByteScanner.newline { i -= 1 }
        return i
    }

    private func fail(_ reason: String) -> JSONLError {
        .badJSON(file: file, line: line, reason: reason)
    }
}
