import Foundation

/// JSON text written by hand on the predict path, where Foundation's encoder costs more than
/// the prediction: the same text `JSONEncoder` writes with `.withoutEscapingSlashes`.
enum JSONLiteral {
    /// `text` as a JSON string literal, quotes included: `"` and `\` escaped, control
    /// characters as `\n`, `\t`, … or `\u00XX`, everything else as its UTF-8 bytes.
    static func string(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    /// The string a JSON string literal (quotes included) spells, escapes decoded; nil when it
    /// is not a valid literal.
    static func decodeString(_ literal: UnsafeRawBufferPointer) -> String? {
        try? JSONDecoder().decode(String.self, from: Data(literal))
    }
}
