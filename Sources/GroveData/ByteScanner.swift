#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Low-level helpers shared by the text readers, over a NUL-terminated byte buffer.
enum ByteScanner {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")

    /// `bytes` followed by a NUL so that `strtof` can never run past the end, with a UTF-8 byte
    /// order mark removed.
    static func terminated(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        out.append(0)
        return out
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == carriageReturn
    }

    /// `range` without leading and trailing blanks.
    static func trimmed(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, isSpace(p[lo]) { lo += 1 }
        while hi > lo, isSpace(p[hi - 1]) { hi -= 1 }
        return lo ..< hi
    }

    /// The number spelled by exactly `p[range]`, or `nil` when those bytes are not a number.
    ///
    /// Uses C `strtof` (correctly rounded; accepts `nan`, `inf` and hex floats, which callers
    /// reject as non-finite where needed). The buffer must be NUL-terminated past `range`.
    static func float(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) -> Float? {
        guard !range.isEmpty, !isSpace(p[range.lowerBound]) else { return nil }
        let start = p + range.lowerBound
        return start.withMemoryRebound(to: CChar.self, capacity: range.count) { s in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtof(s, &end)
            guard let end, end == UnsafeMutablePointer(mutating: s + range.count) else { return nil }
            return value
        }
    }

    /// The bytes of `p[range]` as a String (invalid UTF-8 repaired), for labels and messages.
    static func string(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: p + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// A short excerpt of a bad cell for a message: at most 40 characters, one line.
    static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 40 ? String(line.prefix(40)) + "…" : line
    }

    /// The ranges of the lines of `p[0 ..< count]`, split at `\n` (a `\r` before it is kept and
    /// trimmed by callers), each with its 1-based line number.
    static func forEachLine(
        _ p: UnsafePointer<UInt8>, count: Int, _ body: (Range<Int>, Int) throws -> Void
    ) rethrows {
        var start = 0, line = 1
        while start < count {
            let end: Int
            if let found = memchr(p + start, Int32(newline), count - start) {
                end = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - p
            } else {
                end = count
            }
            try body(start ..< end, line)
            start = end + 1
            line += 1
        }
    }
}
