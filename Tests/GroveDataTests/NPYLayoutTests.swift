import GroveData
import GroveTestSupport
import Testing

struct NPYLayoutTests {
    @Test func fortranOrderedMatricesAreReadAsRows() throws {
        let dir = try TemporaryDirectory()
        // [[1, 2], [3, 4], [5, 6]] stored column by column.
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [3, 2], fortran: true, data: Fixture.float32([1, 3, 5, 2, 4, 6])))
        let labels = try dir.write("y.txt", text: "a\nb\nc\n")
        let raw = try NPYReader.read(path: path, labels: labels)
        #expect(raw.dimension == 2)
        #expect(raw.features == [1, 2, 3, 4, 5, 6])
    }

    @Test func fortranOrderedImagesAreReadAsRowMajorPixels() throws {
        // Image n, row i, column j holds 100 n + 10 i + j; Fortran order stores n fastest, j slowest.
        let (count, rows, columns) = (2, 2, 3)
        var stored: [Int16] = []
        for j in 0 ..< columns { for i in 0 ..< rows { for n in 0 ..< count { stored.append(Int16(100 * n + 10 * i + j)) } } }
        var expected: [Float] = []
        for n in 0 ..< count { for i in 0 ..< rows { for j in 0 ..< columns { expected.append(Float(100 * n + 10 * i + j)) } } }
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: ">i2", shape: [count, rows, columns], fortran: true, data: Fixture.bytes(stored, bigEndian: true)))
        let labels = try dir.write("y.txt", text: "a\nb\n")
        let raw = try NPYReader.read(path: path, labels: labels)
        #expect(raw.dimension == rows * columns)
        #expect(raw.imageShape?.rows == rows && raw.imageShape?.columns == columns)
        #expect(raw.features == expected)
    }

    @Test func nonFiniteValueOfAFortranArrayNamesItsRowMajorRecordAndFeature() throws {
        let dir = try TemporaryDirectory()
        // [[1, 2], [3, 4], [5, NaN]] stored column by column.
        let data = Fixture.bytes(([1, 3, 5, 2, 4, .nan] as [Double]).map(\.bitPattern))
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f8", shape: [3, 2], fortran: true, data: data))
        let labels = try dir.write("y.txt", text: "a\nb\nc\n")
        #expect(errorMessage { try NPYReader.read(path: path, labels: labels) } == "x.npy: record 3: feature 1 is nan, features must be finite")
    }

    static let overflowing: [(String, [Int], String)] = [
        ("<f4", [2, 4_611_686_018_427_387_904, 4], "shape [2, 4611686018427387904, 4]"),
        ("<f4", [1, 2_305_843_009_213_693_952], "shape [1, 2305843009213693952]"),
        ("|u1", [3, 3_074_457_345_618_258_603], "shape [3, 3074457345618258603]"),
        ("<f8", [4_294_967_295, 4_294_967_295, 4_294_967_295], "shape [4294967295, 4294967295, 4294967295]"),
    ]

    /// Shapes whose byte size wraps around a 64-bit integer are rejected before any data is read
    /// (a release build compiles without overflow checks, so an unchecked product would pass the
    /// size check and read far past the file).
    @Test(arguments: overflowing)
    func shapesTooLargeToAddressAreRejected(descr: String, shape: [Int], described: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("huge.npy", bytes: Fixture.npy(descr: descr, shape: shape, data: Array(repeating: 0, count: 64)))
        let labels = try dir.write("y.txt", text: "1\n")
        #expect(errorMessage { try NPYReader.read(path: path, labels: labels) }
            == "huge.npy: bad NPY header: \(described) describes more bytes than can be addressed")
    }

    @Test func labelsArrayTooLargeToAddressIsRejected() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.npy", bytes: Fixture.npy(descr: "<f4", shape: [1, 1], data: Fixture.float32([1])))
        let labels = try dir.write("y.npy", bytes: Fixture.npy(descr: "<i8", shape: [1_152_921_504_606_846_976], data: Fixture.int64([1])))
        #expect(errorMessage { try NPYReader.read(path: path, labels: labels) }
            == "y.npy: bad NPY header: shape [1152921504606846976] describes more bytes than can be addressed")
    }

    @Test func shapeEntryBeyondSixtyFourBitsIsRejected() throws {
        let dir = try TemporaryDirectory()
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 2), }"
        let path = try dir.write("huge.npy", bytes: Fixture.npy(header: header, data: Fixture.float32([1, 2])))
        let labels = try dir.write("y.txt", text: "1\n")
        #expect(errorMessage { try NPYReader.read(path: path, labels: labels) }
            == "huge.npy: bad NPY header: shape entry 99999999999999999999 is too large")
    }
}
