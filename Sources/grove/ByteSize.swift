/// Byte sizes written the way operators write them: `1073741824`, `512K`, `64M`, `4G`, `1T`
/// (binary multiples; a trailing `B` or `iB` is allowed).
enum ByteSize {
    /// The number of bytes `text` names, or nil when it is not a positive size that fits an `Int`.
    static func parse(_ text: String) -> Int? {
        var digits = text.uppercased()
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
            digits.removeLast(suffix.count)
            break
        }
        let shifts: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40]
        var shift = 0
        if let last = digits.last, let s = shifts[last] {
            shift = s
            digits.removeLast()
        }
        guard let value = Int(digits), value > 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : bytes
    }
}
