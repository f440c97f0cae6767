/// The parsed header of an `.npy` file (format versions 1.0, 2.0 and 3.0).
struct NPYHeader {
    /// The type string, such as `'<f8'` (see ``NPYDType``).
    var dtype: String
    /// Whether the data is in column-major (Fortran) order.
    var fortranOrder: Bool
    /// The array's shape; the first entry counts the records.
    var shape: [Int]
    /// Where the data starts.
    var dataOffset: Int

    /// The sizes of an array whose data has been checked to be present.
    struct Layout {
        /// Elements per record: the product of every dimension after the first.
        var recordLength: Int
        /// Elements in the whole array.
        var elementCount: Int
    }

    /// Parses the magic, version, and the header dictionary.
    init(_ bytes: [UInt8], file: String) throws {
        guard bytes.count >= 10, bytes.starts(with: [0x93] + Array("NUMPY".utf8)) else {
            throw NPYError.badMagic(file: file)
        }
        let major = bytes[6]
        let lengthWidth: Int
        switch major {
        case 1: lengthWidth = 2
        case 2, 3: lengthWidth = 4
        default: throw NPYError.badHeader(file: file, reason: "unknown format version \(major).\(bytes[7])")
        }
        guard bytes.count >= 8 + lengthWidth else { throw NPYError.badHeader(file: file, reason: "file ends inside the header") }
        var length = 0
        for b in 0 ..< lengthWidth { length |= Int(bytes[8 + b]) << (8 * b) }
        dataOffset = 8 + lengthWidth + length
        guard bytes.count >= dataOffset else {
            throw NPYError.badHeader(file: file, reason: "header declares \(length) bytes, only \(bytes.count - 8 - lengthWidth) present")
        }
        let text = String(decoding: bytes[(8 + lengthWidth) ..< dataOffset], as: UTF8.self)
        let fields = try PythonLiteral.dictionary(text, file: file)
        guard case .string(let dtype)? = fields["descr"] else {
            throw NPYError.badHeader(file: file, reason: "no 'descr' string")
        }
        guard case .bool(let fortran)? = fields["fortran_order"] else {
            throw NPYError.badHeader(file: file, reason: "no 'fortran_order' boolean")
        }
        guard case .tuple(let shape)? = fields["shape"], shape.allSatisfy({ $0 >= 0 }) else {
            throw NPYError.badHeader(file: file, reason: "no 'shape' tuple of non-negative integers")
        }
        self.dtype = dtype
        self.fortranOrder = fortran
        self.shape = shape
    }

    /// Checks that `shape` describes at least one record, has no empty dimension and a byte
    /// size that can be addressed, that all its bytes are present, and that it is within `limits`.
    /// - Throws: ``DatasetError/noSamples(file:)``, ``NPYError/badHeader(file:reason:)``,
    ///   ``ReaderLimitError`` or ``NPYError/truncated(file:record:records:expectedBytes:actualBytes:)``.
    func checkData(_ bytes: [UInt8], elementWidth: Int, file: String, limits: ReaderLimits) throws -> Layout {
        guard let records = shape.first, records > 0 else { throw DatasetError.noSamples(file: file) }
        guard !shape.contains(0) else {
            throw NPYError.badHeader(file: file, reason: "shape \(shape) has an empty dimension")
        }
        guard let sizes = ArraySizes(dims: shape, elementWidth: elementWidth) else {
            throw NPYError.badHeader(file: file, reason: "shape \(shape) describes more bytes than can be addressed")
        }
        let available = bytes.count - dataOffset
        guard available >= sizes.totalBytes else {
            throw NPYError.truncated(
                file: file, record: available / sizes.recordBytes + 1, records: records,
                expectedBytes: sizes.totalBytes, actualBytes: available)
        }
        try limits.checkRows(records, file: file, at: .header(declared: records))
        try limits.checkFeatures(sizes.recordLength, file: file, at: .header(declared: sizes.recordLength))
        return Layout(recordLength: sizes.recordLength, elementCount: sizes.elementCount)
    }
}
