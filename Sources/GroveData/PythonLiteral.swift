/// The tiny subset of Python literal syntax used by `.npy` headers:
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
enum PythonLiteral: Equatable {
    case string(String)
    case bool(Bool)
    case tuple([Int])

    /// Parses a dictionary of string keys to strings, booleans or integer tuples.
    static func dictionary(_ text: String, file: String) throws -> [String: PythonLiteral] {
        var scanner = Scanner(chars: Array(text.unicodeScalars), file: file)
        return try scanner.parseDictionary()
    }

    private struct Scanner {
        let chars: [Unicode.Scalar]
        var pos = 0
        let file: String

        init(chars: [Unicode.Scalar], file: String) {
            self.chars = chars
            self.file = file
        }

        mutating func parseDictionary() throws -> [String: PythonLiteral] {
            try expect("{")
            var out: [String: PythonLiteral] = [:]
            while true {
                skipSpace()
                if peek == "}" { pos += 1; break }
                let key = try parseString()
                try expect(":")
                out[key] = try parseValue()
                skipSpace()
                if peek == "," { pos += 1; continue }
                try expect("}")
                break
            }
            skipSpace()
            guard pos == chars.count else { throw fail("unexpected text after the dictionary") }
            return out
        }

        mutating func parseValue() throws -> PythonLiteral {
            skipSpace()
            switch peek {
            case "'", "\"": return .string(try parseString())
            case "[": throw fail("structured dtypes (a list of fields) are not supported")
            case "(":
                pos += 1
                var values: [Int] = []
                while true {
                    skipSpace()
                    if peek == ")" { pos += 1; return .tuple(values) }
                    var digits = ""
                    while let c = peek, ("0" ... "9").contains(c) || c == "L" {
                        if c != "L" { digits.unicodeScalars.append(c) }
                        pos += 1
                    }
                    guard !digits.isEmpty else { throw fail("shape entries must be integers") }
                    guard let value = Int(digits) else { throw fail("shape entry \(digits) is too large") }
                    values.append(value)
                    skipSpace()
                    if peek == "," { pos += 1 } else if peek != ")" { throw fail("expected ',' or ')' in the shape") }
                }
            default:
                var word = ""
                while let c = peek, c.properties.isAlphabetic || ("0" ... "9").contains(c) { word.unicodeScalars.append(c); pos += 1 }
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                default: throw fail("unexpected value '\(word)'")
                }
            }
        }

        mutating func parseString() throws -> String {
            skipSpace()
            guard let quote = peek, quote == "'" || quote == "\"" else { throw fail("expected a quoted key") }
            pos += 1
            var out = ""
            while let c = peek, c != quote { out.unicodeScalars.append(c); pos += 1 }
            guard peek == quote else { throw fail("unterminated string") }
            pos += 1
            return out
        }

        var peek: Unicode.Scalar? { pos < chars.count ? chars[pos] : nil }

        mutating func skipSpace() {
            while let c = peek, c == " " || c == "\n" || c == "\t" || c == "\r" { pos += 1 }
        }

        mutating func expect(_ c: Unicode.Scalar) throws {
            skipSpace()
            guard peek == c else { throw fail("expected '\(c)'") }
            pos += 1
        }

        func fail(_ reason: String) -> NPYError {
            .badHeader(file: file, reason: reason)
        }
    }
}
