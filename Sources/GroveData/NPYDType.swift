/// NumPy type strings (an `.npy` header's `descr`, such as `'<f8'`) and the element types they name.
///
/// A type string is a byte order (`<` little-endian, `>` big-endian, `|` not applicable, `=`
/// native), a kind letter and a width in bytes. NumPy writes `|` for one-byte types and
/// `<`/`>` for the others; `|` and `=` on a wider type mean this machine's order, as in NumPy.
enum NPYDType {
    /// The dtypes features may have, for messages.
    static let supportedFeatures = "f2 f4 f8 i1–i8 u1–u8 b1, either byte order"
    /// The dtypes a labels array may have, for messages.
    static let supportedLabels = "i1–i8 u1–u8 b1, or f2 f4 f8 holding whole numbers; either byte order"

    /// The element type named by `descr`, or `nil` when it is not one of ``supportedFeatures``.
    static func element(_ descr: String) -> NumericElement? {
        guard let parts = parse(descr) else { return nil }
        let isBigEndian: Bool
        switch parts.order {
        case "<": isBigEndian = false
        case ">": isBigEndian = true
        default: isBigEndian = NumericElement.nativeIsBigEndian
        }
        let kind: NumericElement.Kind
        switch (parts.kind, parts.width) {
        case ("b", 1): kind = .bool
        case ("i", 1): kind = .int8
        case ("i", 2): kind = .int16
        case ("i", 4): kind = .int32
        case ("i", 8): kind = .int64
        case ("u", 1): kind = .uint8
        case ("u", 2): kind = .uint16
        case ("u", 4): kind = .uint32
        case ("u", 8): kind = .uint64
        case ("f", 2): kind = .float16
        case ("f", 4): kind = .float32
        case ("f", 8): kind = .float64
        default: return nil
        }
        return NumericElement(kind: kind, isBigEndian: isBigEndian)
    }

    /// NumPy's name for the type `descr` names (`"complex64"` for `'<c8'`), or `nil` when
    /// `descr` is not a type string.
    static func name(_ descr: String) -> String? {
        guard let parts = parse(descr) else { return nil }
        let bits = parts.width.multipliedReportingOverflow(by: 8)
        let size = bits.overflow || parts.width == 0 ? "" : String(bits.partialValue)
        switch parts.kind {
        case "b": return "bool"
        case "i": return "int" + size
        case "u": return "uint" + size
        case "f": return "float" + size
        case "c": return "complex" + size
        case "O": return "Python objects"
        case "U": return "Unicode strings"
        case "S", "a": return "byte strings"
        case "V": return "raw bytes"
        case "M": return "datetime"
        case "m": return "timedelta"
        default: return nil
        }
    }

    /// The byte order, kind letter and width of a type string such as `'<f8'` or `'<M8[ns]'`
    /// (width 0 when none is written, as in `'|O'`).
    private static func parse(_ descr: String) -> (order: Character, kind: Character, width: Int)? {
        var rest = Substring(descr)
        guard let order = rest.first, "<>|=".contains(order) else { return nil }
        rest.removeFirst()
        guard let kind = rest.first, kind.isLetter else { return nil }
        rest.removeFirst()
        let digits = rest.prefix(while: \.isASCII).prefix(while: \.isNumber)
        guard let width = digits.isEmpty ? 0 : Int(digits) else { return nil }
        return (order, kind, width)
    }
}
