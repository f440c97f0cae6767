import GroveData
import GroveTestSupport
import Testing

struct IDXElementTypeTests {
    /// Two images of two values of each IDX element type, big-endian as the format stores them.
    static let imageCases: [(UInt8, [UInt8], [Float])] = [
        (0x08, [0, 1, 200, 255], [0, 1, 200, 255]),
        (0x09, Fixture.bytes([-128, -1, 0, 127] as [Int8]), [-128, -1, 0, 127]),
        (0x0B, Fixture.bytes([-32768, -1, 258, 32767] as [Int16], bigEndian: true), [-32768, -1, 258, 32767]),
        (0x0C, Fixture.bytes([.min, -1, 16_777_219, .max] as [Int32], bigEndian: true), [-0x1p31, -1, 16_777_220, 0x1p31]),
        (0x0D, Fixture.bytes(([0.1, -3.5, 0x1p-140, .greatestFiniteMagnitude] as [Float]).map(\.bitPattern), bigEndian: true),
         [0.1, -3.5, 0x1p-140, .greatestFiniteMagnitude]),
        (0x0E, Fixture.bytes(([0.1, -3.5, 1e-300, 1.0 / 3] as [Double]).map(\.bitPattern), bigEndian: true), [0.1, -3.5, 0, 0.33333334]),
    ]

    @Test(arguments: imageCases)
    func everyElementTypeReadsAsWrittenFromBigEndianData(code: UInt8, data: [UInt8], expected: [Float]) throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dtype: code, dims: [2, 1, 2], data: data))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [2], data: [3, 4]))
        let raw = try IDXReader.read(images: images, labels: labelsFile)
        #expect(raw.dimension == 2)
        #expect(raw.features.map(\.bitPattern) == expected.map(\.bitPattern), "\(raw.features) vs \(expected)")
    }

    static let labelCases: [(UInt8, [UInt8], [String])] = [
        (0x08, [7, 255, 7], ["7", "255"]),
        (0x09, Fixture.bytes([-1, 3, -1] as [Int8]), ["-1", "3"]),
        (0x0B, Fixture.bytes([-300, 7, -300] as [Int16], bigEndian: true), ["-300", "7"]),
        (0x0C, Fixture.bytes([.min, 70_000, .min] as [Int32], bigEndian: true), ["-2147483648", "70000"]),
    ]

    @Test(arguments: labelCases)
    func everyIntegerLabelTypeGivesDecimalNames(code: UInt8, data: [UInt8], expected: [String]) throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dims: [3, 1], data: [1, 2, 3]))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dtype: code, dims: [3], data: data))
        let raw = try IDXReader.read(images: images, labels: labelsFile)
        #expect(raw.labelNames == expected)
        #expect(raw.labelCodes == [0, 1, 0])
    }

    @Test func integerLabelsKeepTheirIntegerClassAcrossTypes() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dims: [2, 1], data: [1, 2]))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dtype: 0x0C, dims: [2], data: Fixture.bytes([9, 3] as [Int32], bigEndian: true)))
        var registry = LabelRegistry()
        let dataset = try DatasetLoader.load(path: images, format: .idx, labelsPath: labelsFile, registry: &registry)
        #expect(dataset.labels == [9, 3])
    }

    @Test(arguments: [0x0D, 0x0E] as [UInt8])
    func floatLabelsAreRejected(code: UInt8) throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dims: [1, 1], data: [0]))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dtype: code, dims: [1], data: Array(repeating: 0, count: 8)))
        let name = code == 0x0D ? "0x0d (float32)" : "0x0e (float64)"
        #expect(errorMessage { try IDXReader.read(images: images, labels: labelsFile) }
            == "lbl: IDX labels must be integers, not element type \(name); use 0x08 (unsigned byte), 0x09 (signed byte), 0x0b (int16) or 0x0c (int32)")
    }

    @Test(arguments: [
        (0x0D as UInt8, Fixture.bytes(([1, 2, 3, .nan] as [Float]).map(\.bitPattern), bigEndian: true),
         "img: record 2: feature 1 is nan, features must be finite"),
        (0x0E as UInt8, Fixture.bytes(([1, 2, 1e300, 4] as [Double]).map(\.bitPattern), bigEndian: true),
         "img: record 2: feature 0 is 1e+300, outside the float32 range of features (±3.4028235e+38)"),
    ])
    func nonFiniteAndOutOfRangeValuesNameTheRecord(code: UInt8, data: [UInt8], expected: String) throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dtype: code, dims: [2, 2], data: data))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [2], data: [0, 1]))
        #expect(errorMessage { try IDXReader.read(images: images, labels: labelsFile) } == expected)
    }

    /// Dimensions whose byte size wraps around a 64-bit integer are rejected, not trusted: the
    /// first case is a 25-byte file that crashed a release build (compiled without overflow
    /// checks) when the size check multiplied the dimensions unchecked.
    @Test(arguments: [
        (0x08 as UInt8, [1, 4_294_967_295, 4_294_967_295]),
        (0x08 as UInt8, [4_294_967_295, 4_294_967_295, 4_294_967_295]),
        (0x0E as UInt8, [2, 1_073_741_824, 1_073_741_824]),
        (0x0C as UInt8, [4_294_967_295, 65_536, 16_384]),
    ])
    func dimensionsTooLargeToAddressAreRejected(code: UInt8, dims: [Int]) throws {
        let dir = try TemporaryDirectory()
        let bytes = Fixture.idx(dtype: code, dims: dims, data: Array(repeating: 0, count: 9))
        let images = try dir.write("huge-idx3-ubyte", bytes: bytes)
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [1], data: [0]))
        #expect(bytes.count == 25)
        #expect(errorMessage { try IDXReader.read(images: images, labels: labelsFile) }
            == "huge-idx3-ubyte: bad IDX header: dimensions \(dims) describe more bytes than can be addressed")
    }

    @Test func labelCountBeyondTheDataIsTruncationNotACrash() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dims: [1, 1], data: [0]))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dtype: 0x0C, dims: [4_294_967_295], data: [0, 0, 0, 1]))
        #expect(errorMessage { try IDXReader.read(images: images, labels: labelsFile) }
            == "lbl: truncated at record 2 of 4294967295 (header declares 17179869180 data bytes, 4 present)")
    }
}
