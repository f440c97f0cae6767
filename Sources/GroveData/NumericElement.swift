/// The element type of a binary numeric array (NPY or IDX data) and its byte order.
///
/// Readers turn a file's type code (an NPY `descr` such as `'<f8'`, an IDX type byte such as
/// `0x0D`) into one of these, and ``NumericDecoding`` converts the data.
struct NumericElement: Equatable, Sendable {
    /// The numbers one element encodes.
    enum Kind: Equatable, Sendable {
        case bool
        case int8, int16, int32, int64
        case uint8, uint16, uint32, uint64
        case float16, float32, float64
    }

    /// What the element's bytes encode.
    var kind: Kind
    /// Whether multi-byte elements are stored most significant byte first.
    var isBigEndian: Bool

    /// Bytes per element.
    var width: Int {
        switch kind {
        case .bool, .int8, .uint8: 1
        case .int16, .uint16, .float16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64: 8
        }
    }

    /// Whether the kind holds whole numbers (booleans count as 0 and 1), as a labels array must.
    var isInteger: Bool {
        switch kind {
        case .float16, .float32, .float64: false
        default: true
        }
    }

    /// Whether this machine stores multi-byte numbers most significant byte first.
    static let nativeIsBigEndian = UInt16(1).bigEndian == 1
}
