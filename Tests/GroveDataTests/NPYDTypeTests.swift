@testable import GroveData
import GroveTestSupport
import Testing

/// One dtype's test data: the type string, the stored bytes, and what must be read.
typealias DTypeCase<Value: Sendable> = (String, [UInt8], [Value])

/// `values` stored as the dtype `kind` in every byte order NumPy writes for it: `|` (and `<`,
/// `>`) for one-byte kinds, `<` and `>` for wider ones.
func dtypeCases<T: FixedWidthInteger, Value: Sendable>(_ kind: String, _ values: [T], _ expected: [Value]) -> [DTypeCase<Value>] {
    let orders = MemoryLayout<T>.size == 1 ? ["|", "<", ">"] : ["<", ">"]
    return orders.map { order in ("\(order)\(kind)", Fixture.bytes(values, bigEndian: order == ">"), expected) }
}

struct NPYDTypeTests {
    static let featureCases: [DTypeCase<Float>] = [
        dtypeCases("u1", [0, 1, 200, 255] as [UInt8], [0, 1, 200, 255] as [Float]),
        dtypeCases("i1", [-128, -1, 0, 127] as [Int8], [-128, -1, 0, 127] as [Float]),
        dtypeCases("b1", [0, 1, 0, 2] as [UInt8], [0, 1, 0, 1] as [Float]),
        dtypeCases("u2", [0, 1, 300, 65535] as [UInt16], [0, 1, 300, 65535] as [Float]),
        dtypeCases("i2", [-32768, -1, 258, 32767] as [Int16], [-32768, -1, 258, 32767] as [Float]),
        // 2^24 + 1 and 2^24 + 3 are ties between two floats: they round to the even one.
        dtypeCases("u4", [0, 16_777_217, 16_777_219, .max] as [UInt32], [0, 16_777_216, 16_777_220, 0x1p32] as [Float]),
        dtypeCases("i4", [.min, -1, 258, .max] as [Int32], [-0x1p31, -1, 258, 0x1p31] as [Float]),
        dtypeCases("u8", [0, 1, 1 << 40, .max] as [UInt64], [0, 1, 0x1p40, 0x1p64] as [Float]),
        dtypeCases("i8", [.min, -1, -(1 << 40), .max] as [Int64], [-0x1p63, -1, -0x1p40, 0x1p63] as [Float]),
        dtypeCases("f2", [0x3E00, 0xC000, 0x7BFF, 0x0001, 0x8001, 0x0400] as [UInt16],
                   [1.5, -2, 65504, 0x1p-24, -0x1p-24, 0x1p-14] as [Float]),
        dtypeCases("f4", ([0.1, -3.5, 0x1p-140, .greatestFiniteMagnitude] as [Float]).map(\.bitPattern),
                   [0.1, -3.5, 0x1p-140, .greatestFiniteMagnitude] as [Float]),
        dtypeCases("f8", ([0.1, -3.5, 1e-300, 1.0 / 3] as [Double]).map(\.bitPattern), [0.1, -3.5, 0, 0.33333334] as [Float]),
        // '=' and '|' on a wider type mean this machine's byte order, as in NumPy.
        [("=f4", Fixture.bytes([Float(0.5).bitPattern], bigEndian: NumericElement.nativeIsBigEndian), [0.5] as [Float]),
         ("|i2", Fixture.bytes([-7] as [Int16], bigEndian: NumericElement.nativeIsBigEndian), [-7] as [Float])],
    ].flatMap { $0 }

    @Test(arguments: featureCases)
    func everyDTypeReadsAsWrittenInEitherByteOrder(descr: String, data: [UInt8], expected: [Float]) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: descr, shape: [expected.count, 1], data: data))
        let labels = try dir.write("y.txt", text: String(repeating: "1\n", count: expected.count))
        let raw = try NPYReader.read(path: path, labels: labels)
        #expect(raw.dimension == 1)
        #expect(raw.features.map(\.bitPattern) == expected.map(\.bitPattern), "\(raw.features) vs \(expected)")
    }

    static let labelCases: [DTypeCase<String>] = [
        dtypeCases("u1", [9, 0, 9] as [UInt8], ["9", "0"]),
        dtypeCases("i1", [-1, 3, -1] as [Int8], ["-1", "3"]),
        dtypeCases("b1", [1, 0, 1] as [UInt8], ["1", "0"]),
        dtypeCases("u2", [65535, 7, 65535] as [UInt16], ["65535", "7"]),
        dtypeCases("i2", [-300, 7, -300] as [Int16], ["-300", "7"]),
        dtypeCases("u4", [.max, 7, .max] as [UInt32], ["4294967295", "7"]),
        dtypeCases("i4", [.min, 7, .min] as [Int32], ["-2147483648", "7"]),
        dtypeCases("u8", [.max, 7, .max] as [UInt64], ["18446744073709551615", "7"]),
        dtypeCases("i8", [.min, 7, .min] as [Int64], ["-9223372036854775808", "7"]),
    ].flatMap { $0 }

    @Test(arguments: labelCases)
    func everyIntegerLabelDTypeGivesDecimalNamesInEitherByteOrder(descr: String, data: [UInt8], expected: [String]) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [3, 1], data: Fixture.float32([1, 2, 3])))
        let labels = try dir.write("y.npy", bytes: Fixture.npy(descr: descr, shape: [3], data: data))
        let raw = try NPYReader.read(path: path, labels: labels)
        #expect(raw.labelNames == expected)
        #expect(raw.labelCodes == [0, 1, 0])
    }

    /// Labels NumPy kept in a float array (`y.astype(float)`, a pandas column that once held a
    /// NaN) name the same classes as the integers: `3.0` is `"3"`, `-0.0` is `"0"`.
    @Test(arguments: [
        ("<f8", Fixture.bytes(([3, -0.0, 3] as [Double]).map(\.bitPattern))),
        (">f8", Fixture.bytes(([3, 0, 3] as [Double]).map(\.bitPattern), bigEndian: true)),
        ("<f4", Fixture.bytes(([3, 0, 3] as [Float]).map(\.bitPattern))),
        (">f4", Fixture.bytes(([3, 0, 3] as [Float]).map(\.bitPattern), bigEndian: true)),
        ("<f2", Fixture.bytes([0x4200, 0x8000, 0x4200] as [UInt16])),
    ])
    func wholeNumberFloatLabelsNameTheIntegersClasses(descr: String, data: [UInt8]) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [3, 1], data: Fixture.float32([1, 2, 3])))
        let labels = try dir.write("y.npy", bytes: Fixture.npy(descr: descr, shape: [3], data: data))
        let raw = try NPYReader.read(path: path, labels: labels)
        #expect(raw.labelNames == ["3", "0"])
        #expect(raw.labelCodes == [0, 1, 0])
    }

    @Test(arguments: [
        ("<f8", Fixture.bytes(([1, 2.5] as [Double]).map(\.bitPattern)),
         "y.npy: record 2: label 2.5 is not a whole number; floating-point labels must hold class numbers"),
        ("<f4", Fixture.bytes(([.nan, 1] as [Float]).map(\.bitPattern)),
         "y.npy: record 1: label nan is not a whole number; floating-point labels must hold class numbers"),
        ("<f8", Fixture.bytes(([1, 1e300] as [Double]).map(\.bitPattern)),
         "y.npy: record 2: label 1e+300 is not a whole number; floating-point labels must hold class numbers"),
        ("<c16", [UInt8](repeating: 0, count: 32),
         "y.npy: unsupported dtype '<c16' (complex128); supported: i1–i8 u1–u8 b1, or f2 f4 f8 holding whole numbers; either byte order"),
    ])
    func labelsThatNameNoClassAreRejectedWithTheRecord(descr: String, data: [UInt8], expected: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [2, 1], data: Fixture.float32([1, 2])))
        let labels = try dir.write("y.npy", bytes: Fixture.npy(descr: descr, shape: [2], data: data))
        #expect(errorMessage { try NPYReader.read(path: path, labels: labels) } == expected)
    }

    @Test(arguments: [
        ("<f8", Fixture.bytes(([1, 1e300] as [Double]).map(\.bitPattern)),
         "x.npy: record 1: feature 1 is 1e+300, outside the float32 range of features (±3.4028235e+38)"),
        (">f8", Fixture.bytes(([-1e39, 0] as [Double]).map(\.bitPattern), bigEndian: true),
         "x.npy: record 1: feature 0 is -1e+39, outside the float32 range of features (±3.4028235e+38)"),
        (">f8", Fixture.bytes(([0, .nan] as [Double]).map(\.bitPattern), bigEndian: true),
         "x.npy: record 1: feature 1 is nan, features must be finite"),
        (">f4", Fixture.bytes(([1, -.infinity] as [Float]).map(\.bitPattern), bigEndian: true),
         "x.npy: record 1: feature 1 is -inf, features must be finite"),
        ("<f2", Fixture.bytes([0x3C00, 0x7C00] as [UInt16]), "x.npy: record 1: feature 1 is inf, features must be finite"),
    ])
    func nonFiniteAndOutOfRangeValuesNameTheFileAndRecord(descr: String, data: [UInt8], expected: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: descr, shape: [1, 2], data: data))
        let labels = try dir.write("y.txt", text: "1\n")
        #expect(errorMessage { try NPYReader.read(path: path, labels: labels) } == expected)
    }

    #if !(os(macOS) && arch(x86_64))
    /// Every binary16 bit pattern converts exactly as the standard library's `Float16` does.
    @Test func halfPrecisionConversionMatchesFloat16ForEveryBitPattern() {
        let mismatches = (0 ... UInt16.max).filter { bits in
            let expected = Float(Float16(bitPattern: bits))
            let actual = NumericDecoding.float(halfBits: bits)
            return expected.isNaN ? !actual.isNaN : actual.bitPattern != expected.bitPattern
        }
        #expect(mismatches.isEmpty, "first mismatch: \(mismatches.first.map(String.init) ?? "")")
    }
    #endif
}
