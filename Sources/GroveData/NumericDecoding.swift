/// Conversion of binary numeric arrays (NPY and IDX data) to features and labels.
///
/// Values are taken as written: each element becomes the nearest `Float` (`Float(Double)`,
/// `Float(Int64)`, ...; exact for every 8- and 16-bit integer and every `float16` and
/// `float32`), booleans become 0 and 1. Nothing is rescaled, so a pixel stored as the byte 255
/// reads as 255 from any format. Each kind has its own loop over unsafe buffer pointers with
/// the byte order decided outside it, so conversion runs at memory speed.
///
/// Callers check that the data is present: `offset + count * element.width <= bytes.count`.
enum NumericDecoding {
    /// `count` elements of type `element` starting at byte `offset`, as Floats.
    static func floats(_ bytes: [UInt8], offset: Int, count: Int, element: NumericElement) -> [Float] {
        let big = element.isBigEndian
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            initialized = 0
            bytes.withUnsafeBytes { raw in
                guard count > 0, let base = raw.baseAddress, let target = out.baseAddress else { return }
                let source = base + offset
                switch element.kind {
                case .bool: convert(source, count, big, target) { (bits: UInt8) in bits == 0 ? 0 : 1 }
                case .uint8:
                    // Image files are almost always bytes: a direct loop, fast in debug builds too.
                    let bytes = source.assumingMemoryBound(to: UInt8.self)
                    for i in 0 ..< count { (target + i).initialize(to: Float(bytes[i])) }
                case .int8: convert(source, count, big, target) { (bits: Int8) in Float(bits) }
                case .uint16: convert(source, count, big, target) { (bits: UInt16) in Float(bits) }
                case .int16: convert(source, count, big, target) { (bits: Int16) in Float(bits) }
                case .uint32: convert(source, count, big, target) { (bits: UInt32) in Float(bits) }
                case .int32: convert(source, count, big, target) { (bits: Int32) in Float(bits) }
                case .uint64: convert(source, count, big, target) { (bits: UInt64) in Float(bits) }
                case .int64: convert(source, count, big, target) { (bits: Int64) in Float(bits) }
                case .float16: convert(source, count, big, target) { (bits: UInt16) in float(halfBits: bits) }
                case .float32: convert(source, count, big, target) { (bits: UInt32) in Float(bitPattern: bits) }
                case .float64: convert(source, count, big, target) { (bits: UInt64) in Float(Double(bitPattern: bits)) }
                }
                initialized = count
            }
        }
    }

    /// Checks features decoded from floating-point elements: throws for the first one that is
    /// NaN or infinite in the file, or a `float64` beyond the range of `Float`.
    ///
    /// - Parameter fileIndex: the index in the file of the element at an index of `features`
    ///   (they differ when the file is in Fortran order).
    /// - Throws: ``DatasetError/nonFiniteFeature(file:record:feature:value:)`` or
    ///   ``DatasetError/featureOutOfRange(file:record:feature:value:)``, naming the record.
    static func checkFinite(
        _ features: [Float], dimension: Int, file: String, bytes: [UInt8], offset: Int,
        element: NumericElement, fileIndex: (Int) -> Int = { $0 }
    ) throws {
        guard !element.isInteger, let bad = Dataset.firstNonFinite(features) else { return }
        let record = bad / dimension + 1, feature = bad % dimension
        let value = self.value(bytes, offset: offset, index: fileIndex(bad), element: element)
        guard value.isFinite else {
            throw DatasetError.nonFiniteFeature(file: file, record: record, feature: feature, value: features[bad])
        }
        throw DatasetError.featureOutOfRange(file: file, record: record, feature: feature, value: value)
    }

    /// The element at `index` (counted from byte `offset`) as a Double, exactly; for messages
    /// about a value that did not survive conversion to Float.
    static func value(_ bytes: [UInt8], offset: Int, index: Int, element: NumericElement) -> Double {
        let at = offset + index * element.width
        return bytes.withUnsafeBytes { raw in
            func load<Bits: FixedWidthInteger>(_: Bits.Type) -> Bits {
                let bits = raw.loadUnaligned(fromByteOffset: at, as: Bits.self)
                return element.isBigEndian ? Bits(bigEndian: bits) : Bits(littleEndian: bits)
            }
            switch element.kind {
            case .bool: return load(UInt8.self) == 0 ? 0 : 1
            case .uint8: return Double(load(UInt8.self))
            case .int8: return Double(load(Int8.self))
            case .uint16: return Double(load(UInt16.self))
            case .int16: return Double(load(Int16.self))
            case .uint32: return Double(load(UInt32.self))
            case .int32: return Double(load(Int32.self))
            case .uint64: return Double(load(UInt64.self))
            case .int64: return Double(load(Int64.self))
            case .float16: return Double(float(halfBits: load(UInt16.self)))
            case .float32: return Double(Float(bitPattern: load(UInt32.self)))
            case .float64: return Double(bitPattern: load(UInt64.self))
            }
        }
    }

    /// `count` elements starting at byte `offset` as labels: the distinct values' decimal names
    /// (`"3"`, `"-1"`) in first-seen order and one code (index into them) per element.
    /// Booleans are the labels `"0"` and `"1"`; floating-point elements must be whole numbers
    /// (`3.0` is the label `"3"`, as written by NumPy for labels kept in a float array).
    /// - Throws: ``DatasetError/fractionalLabel(file:record:value:)`` for the first
    ///   floating-point element that is not a whole number, or ``ReaderLimitError`` naming the
    ///   record of `file` whose label passes the cap on distinct labels or on label length.
    static func labels(
        _ bytes: [UInt8], offset: Int, count: Int, element: NumericElement, file: String, limits: ReaderLimits
    ) throws -> (names: [String], codes: [Int32]) {
        let caps = LabelCaps(limits: limits, file: file)
        let big = element.isBigEndian
        return try bytes.withUnsafeBytes { raw -> (names: [String], codes: [Int32]) in
            guard count > 0, let base = raw.baseAddress else { return ([], []) }
            let source = base + offset
            switch element.kind {
            case .bool: return try intern(source, count, big, caps) { (bits: UInt8) in bits == 0 ? 0 : 1 }
            case .uint8: return try intern(source, count, big, caps) { (bits: UInt8) in bits }
            case .int8: return try intern(source, count, big, caps) { (bits: Int8) in bits }
            case .uint16: return try intern(source, count, big, caps) { (bits: UInt16) in bits }
            case .int16: return try intern(source, count, big, caps) { (bits: Int16) in bits }
            case .uint32: return try intern(source, count, big, caps) { (bits: UInt32) in bits }
            case .int32: return try intern(source, count, big, caps) { (bits: Int32) in bits }
            case .uint64: return try intern(source, count, big, caps) { (bits: UInt64) in bits }
            case .int64: return try intern(source, count, big, caps) { (bits: Int64) in bits }
            case .float16, .float32, .float64:
                let whole = try wholeNumbers(bytes, offset: offset, count: count, element: element, file: file)
                return try whole.withUnsafeBytes { converted in
                    guard let values = converted.baseAddress else { return ([], []) }
                    return try intern(values, count, false, caps) { (value: Int64) in value }
                }
            }
        }
    }

    /// The floating-point elements as whole numbers, exactly (within ±2⁵³, where every
    /// `float64` whole number is exact).
    /// - Throws: ``DatasetError/fractionalLabel(file:record:value:)`` for the first that is not.
    private static func wholeNumbers(
        _ bytes: [UInt8], offset: Int, count: Int, element: NumericElement, file: String
    ) throws -> [Int64] {
        let exactBound = 9_007_199_254_740_992.0
        return try (0 ..< count).map { index in
            let value = value(bytes, offset: offset, index: index, element: element)
            guard value.isFinite, value == value.rounded(), abs(value) <= exactBound else {
                throw DatasetError.fractionalLabel(file: file, record: index + 1, value: value)
            }
            return Int64(value)
        }
    }

    /// The caps a new label name is checked against while interning.
    private struct LabelCaps {
        let limits: ReaderLimits
        let file: String

        /// Throws unless `name`, the label of 0-based `record` and the `classes`-th distinct
        /// one, is within the caps.
        func check(_ name: String, record: Int, classes: Int) throws {
            try limits.checkLabel(name, file: file, at: .record(record + 1))
            try limits.checkClasses(classes, file: file, at: .record(record + 1))
        }
    }

    /// The Float with the value of an IEEE 754 binary16 number (exact: every half is a float).
    static func float(halfBits bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int(bits >> 10 & 0x1F)
        let fraction = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:  // zero or subnormal: fraction · 2^-24, exact in Float
            return sign * Float(fraction) * 0x1p-24
        case 0x1F:  // infinity or NaN, payload kept
            return Float(bitPattern: UInt32(bits & 0x8000) << 16 | 0x7F80_0000 | fraction << 13)
        default:  // rebias the exponent from 15 to 127
            return Float(bitPattern: UInt32(bits & 0x8000) << 16 | UInt32(exponent + 112) << 23 | fraction << 13)
        }
    }

    /// Writes `toFloat` of each of `count` elements of type `Bits` at `source` into `out`.
    @inline(__always)
    private static func convert<Bits: FixedWidthInteger>(
        _ source: UnsafeRawPointer, _ count: Int, _ bigEndian: Bool, _ out: UnsafeMutablePointer<Float>,
        _ toFloat: (Bits) -> Float
    ) {
        let width = MemoryLayout<Bits>.size
        if bigEndian {
            for i in 0 ..< count {
                let bits = source.loadUnaligned(fromByteOffset: i * width, as: Bits.self)
                (out + i).initialize(to: toFloat(Bits(bigEndian: bits)))
            }
        } else {
            for i in 0 ..< count {
                let bits = source.loadUnaligned(fromByteOffset: i * width, as: Bits.self)
                (out + i).initialize(to: toFloat(Bits(littleEndian: bits)))
            }
        }
    }

    /// Interns the `count` values of type `Bits` at `source` (mapped by `value`) as labels.
    ///
    /// Values 0...255 (every class-label file seen in practice) go through a table, others
    /// through a dictionary; either way each distinct value's name is built once.
    @inline(__always)
    private static func intern<Bits: FixedWidthInteger, Value: FixedWidthInteger>(
        _ source: UnsafeRawPointer, _ count: Int, _ bigEndian: Bool, _ caps: LabelCaps, _ value: (Bits) -> Value
    ) throws -> (names: [String], codes: [Int32]) {
        let width = MemoryLayout<Bits>.size
        var names: [String] = []
        var small = [Int32](repeating: -1, count: 256)
        var others: [Value: Int32] = [:]
        let codes = try [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            for i in 0 ..< count {
                let bits = source.loadUnaligned(fromByteOffset: i * width, as: Bits.self)
                let label = value(bigEndian ? Bits(bigEndian: bits) : Bits(littleEndian: bits))
                let code: Int32
                if label >= 0, label < 256, small[Int(label)] >= 0 {
                    code = small[Int(label)]
                } else if let known = others[label] {
                    code = known
                } else {
                    let name = String(label)
                    try caps.check(name, record: i, classes: names.count + 1)
                    code = Int32(names.count)
                    names.append(name)
                    if label >= 0, label < 256 { small[Int(label)] = code } else { others[label] = code }
                }
                buffer.initializeElement(at: i, to: code)
                initialized = i + 1
            }
        }
        return (names, codes)
    }
}
