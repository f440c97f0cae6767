/// The parsed header of an IDX file: `00 00 <type> <rank>`, then `rank` big-endian 32-bit
/// dimensions, then the data in C order, each element big-endian (LeCun et al., "The MNIST
/// database").
struct IDXHeader {
    /// The type byte: `0x08` unsigned byte, `0x09` signed byte, `0x0B` int16, `0x0C` int32,
    /// `0x0D` float32 or `0x0E` float64.
    var typeCode: UInt8
    /// The element type the type byte names.
    var element: NumericElement
    /// The dimensions; the first counts the records.
    var dims: [Int]
    /// Elements per record: the product of every dimension after the first.
    var recordLength: Int
    /// Elements in the whole array.
    var elementCount: Int
    /// Where the data starts.
    var dataOffset: Int

    /// Number of records.
    var count: Int { dims[0] }

    /// Parses and checks the header, and that the data that follows is complete.
    /// - Parameters:
    ///   - ranks: the ranks this file's role allows; `expected` describes them for messages.
    /// - Throws: ``IDXError`` for a bad magic, a rank outside `ranks`, a short header, a zero
    ///   dimension, dimensions whose byte size cannot be addressed, or truncated data;
    ///   ``ReaderLimitError`` for more records or features per record than `limits` allow.
    init(_ bytes: [UInt8], file: String, ranks: Set<Int>, expected: String, limits: ReaderLimits) throws {
        guard bytes.count >= 4 else {
            throw IDXError.badHeader(file: file, reason: "\(bytes.count) bytes, shorter than the 4-byte magic")
        }
        guard bytes[0] == 0, bytes[1] == 0, bytes[3] >= 1, bytes[3] <= 4, let element = Self.element(code: bytes[2]) else {
            throw IDXError.badMagic(file: file, magic: Self.readBigEndian(bytes, at: 0))
        }
        let rank = Int(bytes[3])
        guard ranks.contains(rank) else { throw IDXError.wrongRank(file: file, rank: rank, expected: expected) }
        let dataOffset = 4 + 4 * rank
        guard bytes.count >= dataOffset else {
            throw IDXError.badHeader(
                file: file, reason: "\(bytes.count) bytes, shorter than the \(dataOffset)-byte header of a rank-\(rank) array")
        }
        let dims = (0 ..< rank).map { Int(Self.readBigEndian(bytes, at: 4 + 4 * $0)) }
        guard dims.allSatisfy({ $0 > 0 }) else {
            throw IDXError.badHeader(file: file, reason: "dimensions \(dims) include 0")
        }
        guard let sizes = ArraySizes(dims: dims, elementWidth: element.width) else {
            throw IDXError.badHeader(file: file, reason: "dimensions \(dims) describe more bytes than can be addressed")
        }
        let available = bytes.count - dataOffset
        guard available >= sizes.totalBytes else {
            throw IDXError.truncated(
                file: file, record: available / sizes.recordBytes + 1, records: dims[0],
                expectedBytes: sizes.totalBytes, actualBytes: available)
        }
        try limits.checkRows(dims[0], file: file, at: .header(declared: dims[0]))
        try limits.checkFeatures(sizes.recordLength, file: file, at: .header(declared: sizes.recordLength))
        self.typeCode = bytes[2]
        self.element = element
        self.dims = dims
        self.recordLength = sizes.recordLength
        self.elementCount = sizes.elementCount
        self.dataOffset = dataOffset
    }

    /// The element type of an IDX type byte, or `nil` for a byte the format does not define.
    static func element(code: UInt8) -> NumericElement? {
        let kind: NumericElement.Kind
        switch code {
        case 0x08: kind = .uint8
        case 0x09: kind = .int8
        case 0x0B: kind = .int16
        case 0x0C: kind = .int32
        case 0x0D: kind = .float32
        case 0x0E: kind = .float64
        default: return nil
        }
        return NumericElement(kind: kind, isBigEndian: true)
    }

    /// The name of an IDX type byte, for messages.
    static func typeName(_ code: UInt8) -> String {
        switch code {
        case 0x08: "unsigned byte"
        case 0x09: "signed byte"
        case 0x0B: "int16"
        case 0x0C: "int32"
        case 0x0D: "float32"
        case 0x0E: "float64"
        default: "unknown"
        }
    }

    private static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
