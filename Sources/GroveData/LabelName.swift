/// How a label written as text names its class.
public enum LabelName {
    /// The class name of a label written as `text`: a whole number written with a fraction of
    /// zeros (`"3.0"`, `"-1.00"`, `"7."`) is shortened to the integer's decimal name (`"3"`),
    /// so that a CSV label column pandas wrote as floats names the same classes as the integers
    /// of an NPY, IDX or JSONL file. Anything else is returned as written; zero-padded codes
    /// such as `"03"` keep their padding, since they are names rather than numbers.
    public static func canonical(_ text: String) -> String {
        let utf8 = text.utf8
        guard let point = utf8.firstIndex(of: UInt8(ascii: ".")) else { return text }
        let fraction = utf8[utf8.index(after: point)...]
        guard fraction.allSatisfy({ $0 == UInt8(ascii: "0") }) else { return text }
        var whole = utf8[..<point]
        let negative = whole.first == UInt8(ascii: "-")
        if negative { whole = whole.dropFirst() }
        guard let first = whole.first, whole.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              first != UInt8(ascii: "0") || whole.count == 1
        else { return text }
        let digits = String(decoding: whole, as: UTF8.self)
        return negative && digits != "0" ? "-" + digits : digits
    }
}
