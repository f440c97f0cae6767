/// Reads NumPy `.npy` features plus a labels file.
///
/// Features: little-endian `float32` (`<f4`) or `uint8` (`|u1`, scaled to [0, 1] as
/// `byte / 255`, like IDX images), C order, 2-D `(count, dimension)` or 3-D images
/// `(count, rows, columns)` flattened. Labels: a 1-D integer `.npy` array, or a text file with one
/// label per line (see ``LabelsFile``). Files may be gzip-compressed.
///
/// Follows the format description in `numpy/lib/format.py` (versions 1.0, 2.0 and 3.0).
public enum NPYReader {
    /// Feature dtypes this reader accepts.
    static let featureTypes = ["<f4", "|u1", "<u1"]
    /// Integer dtypes accepted for a labels array, with their byte width and signedness.
    static let labelTypes: [String: (width: Int, signed: Bool)] = [
        "|u1": (1, false), "<u1": (1, false), "|i1": (1, true), "<i1": (1, true),
        "<u2": (2, false), "<i2": (2, true), "<u4": (4, false), "<i4": (4, true),
        "<u8": (8, false), "<i8": (8, true),
    ]

    /// Reads the features file at `path` and the labels file at `labelsPath`.
    /// - Throws: ``NPYError`` for a bad magic or header, an unsupported dtype, Fortran order, a
    ///   wrong rank or truncated data; ``DatasetError/labelCountMismatch(file:labelsFile:samples:labels:)``
    ///   when the labels file has another length.
    public static func read(path: String, labels labelsPath: String) throws -> RawDataset {
        let file = FileBytes.displayName(path)
        let bytes = try FileBytes.read(path)
        let header = try NPYHeader(bytes, file: file)
        guard featureTypes.contains(header.dtype) else {
            throw NPYError.unsupportedDType(file: file, dtype: header.dtype, supported: "<f4 (float32), |u1 (uint8)")
        }
        guard header.shape.count == 2 || header.shape.count == 3 else {
            throw NPYError.wrongRank(file: file, shape: header.shape, expected: "2-D (count, dimension) or 3-D (count, rows, columns)")
        }
        let width = header.dtype == "<f4" ? 4 : 1
        try header.checkData(bytes, elementWidth: width, file: file)
        let count = header.shape[0]
        let values = count * header.shape.dropFirst().reduce(1, *)
        let features: [Float]
        if width == 1 {
            features = IDXReader.scaledPixels(bytes, offset: header.dataOffset, count: values)
        } else {
            features = [Float](unsafeUninitializedCapacity: values) { buffer, initialized in
                bytes.withUnsafeBytes { raw in
                    for i in 0 ..< values {
                        let bits = raw.loadUnaligned(fromByteOffset: header.dataOffset + 4 * i, as: UInt32.self)
                        buffer.initializeElement(at: i, to: Float(bitPattern: UInt32(littleEndian: bits)))
                    }
                }
                initialized = values
            }
        }
        let labels = try LabelsFile.read(path: labelsPath)
        guard labels.codes.count == count else {
            throw DatasetError.labelCountMismatch(
                file: file, labelsFile: FileBytes.displayName(labelsPath), samples: count, labels: labels.codes.count)
        }
        var raw = RawDataset(
            features: features, dimension: values / max(count, 1), labelNames: labels.names,
            labelCodes: labels.codes, source: file)
        if header.shape.count == 3 { raw.imageShape = (header.shape[1], header.shape[2]) }
        return raw
    }

    /// Reads a 1-D integer `.npy` labels array into names and codes.
    static func readLabels(_ bytes: [UInt8], file: String) throws -> (names: [String], codes: [Int32]) {
        let header = try NPYHeader(bytes, file: file)
        guard let type = labelTypes[header.dtype] else {
            throw NPYError.unsupportedDType(file: file, dtype: header.dtype, supported: "1-D signed or unsigned integers")
        }
        guard header.shape.count == 1 else {
            throw NPYError.wrongRank(file: file, shape: header.shape, expected: "1-D (count)")
        }
        try header.checkData(bytes, elementWidth: type.width, file: file)
        var table = LabelTable()
        var cache: [Int64: Int32] = [:]
        let codes: [Int32] = bytes.withUnsafeBytes { raw in
            (0 ..< header.shape[0]).map { i in
                let offset = header.dataOffset + type.width * i
                var value: Int64 = 0
                for b in 0 ..< type.width { value |= Int64(raw[offset + b]) << (8 * b) }
                if type.signed, type.width < 8, value >> (8 * type.width - 1) != 0 {
                    value -= 1 << (8 * type.width)
                }
                if let code = cache[value] { return code }
                let code = table.code(for: type.signed || value >= 0 ? String(value) : String(UInt64(bitPattern: value)))
                cache[value] = code
                return code
            }
        }
        return (table.names, codes)
    }
}

/// The parsed header of an `.npy` file.
struct NPYHeader {
    var dtype: String
    var fortranOrder: Bool
    var shape: [Int]
    var dataOffset: Int

    /// Parses the magic, version, and the header dictionary, rejecting Fortran order.
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
        guard !fortran else { throw NPYError.fortranOrder(file: file) }
        self.dtype = dtype
        self.fortranOrder = fortran
        self.shape = shape
    }

    /// Checks that `shape` describes at least one record and that all its bytes are present.
    func checkData(_ bytes: [UInt8], elementWidth: Int, file: String) throws {
        guard let records = shape.first, records > 0 else { throw DatasetError.noSamples(file: file) }
        var recordSize = elementWidth, overflow = false
        for dim in shape.dropFirst() {
            let (product, over) = recordSize.multipliedReportingOverflow(by: dim)
            recordSize = product
            overflow = overflow || over
        }
        let (total, over) = records.multipliedReportingOverflow(by: recordSize)
        guard !overflow, !over, recordSize > 0 else {
            throw NPYError.badHeader(file: file, reason: "shape \(shape) is too large or has an empty dimension")
        }
        let available = bytes.count - dataOffset
        guard available >= total else {
            throw NPYError.truncated(
                file: file, record: available / recordSize + 1, records: records,
                expectedBytes: total, actualBytes: available)
        }
    }
}
