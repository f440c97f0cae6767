import GroveData
import GroveTestSupport
import Testing

struct NPYReaderTests {
    @Test func float32FeaturesWithTextLabelsRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let values: [Float] = [0.5, -1, 2, 3.25, 0, 1e-3]
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [3, 2], data: Fixture.float32(values)))
        let labels = try dir.write("y.txt", text: "boot\n3\nboot\n\n")
        let raw = try NPYReader.read(path: path, labels: labels)
        #expect(raw.dimension == 2)
        #expect(raw.features == values)
        #expect(raw.labelNames == ["boot", "3"])
        #expect(raw.labelCodes == [0, 1, 0])
    }

    @Test func uint8ImagesAreFlattenedUnscaledWithNPYLabels() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "|u1", shape: [2, 2, 2], data: [0, 255, 51, 0, 1, 2, 3, 4]))
        let labels = try dir.write("y.npy", bytes: Fixture.npy(descr: "<i8", shape: [2], data: Fixture.int64([9, -1])))
        let raw = try NPYReader.read(path: path, labels: labels)
        #expect(raw.dimension == 4)
        #expect(raw.features == [0, 255, 51, 0, 1, 2, 3, 4])
        #expect(raw.labelNames == ["9", "-1"])
        #expect(raw.imageShape?.rows == 2)
    }

    @Test func loaderDetectsNPYByExtension() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [1, 1], data: Fixture.float32([4])))
        let labels = try dir.write("y.txt", text: "2\n")
        var registry = LabelRegistry()
        let dataset = try DatasetLoader.load(path: path, labelsPath: labels, registry: &registry)
        #expect(dataset.labels == [2])
        #expect(dataset.features == [4])
    }

    @Test func missingLabelsFileIsReported() throws {
        var registry = LabelRegistry()
        let message = errorMessage { try DatasetLoader.load(path: "/tmp/x.npy", registry: &registry) }
        #expect(message == "x.npy: npy features need a labels file (--labels PATH)")
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    static let zeros: [UInt8] = Array(repeating: 0, count: 16)
    static let supported = "supported: f2 f4 f8 i1–i8 u1–u8 b1, either byte order"
    static let defects: [([UInt8], String)] = [
        (Array("not numpy at all".utf8), "bad.npy: not an NPY file (no \\x93NUMPY magic)"),
        (Fixture.npy(descr: "<c8", shape: [1, 1], data: Array(zeros.prefix(8))),
         "bad.npy: unsupported dtype '<c8' (complex64); \(supported)"),
        (Fixture.npy(descr: "<f16", shape: [1, 1], data: zeros),
         "bad.npy: unsupported dtype '<f16' (float128); \(supported)"),
        (Fixture.npy(descr: "|O", shape: [1, 1], data: Array(zeros.prefix(8))),
         "bad.npy: unsupported dtype '|O' (Python objects); \(supported)"),
        (Fixture.npy(descr: "<U4", shape: [1, 1], data: zeros),
         "bad.npy: unsupported dtype '<U4' (Unicode strings); \(supported)"),
        (Fixture.npy(descr: "<M8[ns]", shape: [1, 1], data: Array(zeros.prefix(8))),
         "bad.npy: unsupported dtype '<M8[ns]' (datetime); \(supported)"),
        (Fixture.npy(descr: "float32", shape: [1, 1], data: Array(zeros.prefix(4))),
         "bad.npy: unsupported dtype 'float32'; \(supported)"),
        (Fixture.npy(descr: "<f4", shape: [3, 2], data: Array(zeros.prefix(12))),
         "bad.npy: truncated at record 2 of 3 (header declares 24 data bytes, 12 present)"),
        (Fixture.npy(descr: "<f4", shape: [4], data: zeros),
         "bad.npy: array of shape [4], expected 2-D (count, dimension) or 3-D (count, rows, columns)"),
        (Fixture.npy(descr: "<f4", shape: [2, 0], data: []),
         "bad.npy: bad NPY header: shape [2, 0] has an empty dimension"),
        (Fixture.npy(descr: "<f4", shape: [0, 2], data: []), "bad.npy: no samples"),
        (magic + [1, 0, 12, 0] + Array("{'descr': 3}".utf8), "bad.npy: bad NPY header: unexpected value '3'"),
        (magic + [1, 0, 200, 0] + Array("{'descr'".utf8),
         "bad.npy: bad NPY header: header declares 200 bytes, only 8 present"),
        (Fixture.npy(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", data: zeros),
         "bad.npy: bad NPY header: structured dtypes (a list of fields) are not supported"),
    ]
    @Test(arguments: defects)
    func defectsFailWithOneLineNamingTheFile(bytes: [UInt8], expected: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.npy", bytes: bytes)
        let labels = try dir.write("y.txt", text: "1\n1\n1\n")
        #expect(errorMessage { try NPYReader.read(path: path, labels: labels) } == expected)
    }

    @Test func labelCountMismatchNamesBothFiles() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [2, 1], data: Fixture.float32([1, 2])))
        let labels = try dir.write("y.txt", text: "1\n2\n3\n")
        #expect(errorMessage { try NPYReader.read(path: path, labels: labels) } == "y.txt: 3 labels, but x.npy has 2 samples")
    }

    @Test func blankLineInsideALabelsFileNamesTheLine() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [2, 1], data: Fixture.float32([1, 2])))
        let labels = try dir.write("y.txt", text: "1\n\n2\n")
        #expect(errorMessage { try NPYReader.read(path: path, labels: labels) } == "y.txt:2: empty label")
    }

    @Test func nonFiniteFloatsFailValidationNamingTheRecord() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [2, 2], data: Fixture.float32([1, 2, 3, .nan])))
        let labels = try dir.write("y.txt", text: "1\n2\n")
        var registry = LabelRegistry()
        let message = errorMessage { try DatasetLoader.load(path: path, labelsPath: labels, registry: &registry) }
        #expect(message == "x.npy: record 2: feature 1 is nan, features must be finite")
    }
}
