import Foundation
import GroveData
import GroveTestSupport
import Testing

struct IDXReaderTests {
    /// Three 2 x 2 images with labels 7, 1, 7.
    let pixels: [UInt8] = [0, 255, 51, 102, 255, 0, 0, 0, 1, 2, 3, 4]
    let labels: [UInt8] = [7, 1, 7]

    @Test func rawFilesRoundTripToUnscaledFeaturesAndLabelNames() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img-idx3-ubyte", bytes: Fixture.idx(dims: [3, 2, 2], data: pixels))
        let labelsFile = try dir.write("lbl-idx1-ubyte", bytes: Fixture.idx(dims: [3], data: labels))
        let raw = try IDXReader.read(images: images, labels: labelsFile)
        #expect(raw.count == 3)
        #expect(raw.dimension == 4)
        #expect(raw.features == [0, 255, 51, 102, 255, 0, 0, 0, 1, 2, 3, 4])
        #expect(raw.labelNames == ["7", "1"])
        #expect(raw.labelCodes == [0, 1, 0])
        #expect(raw.imageShape?.rows == 2 && raw.imageShape?.columns == 2)
        #expect(raw.source == "img-idx3-ubyte")
    }

    @Test func gzipFilesAreDetectedByMagicAndMatchRawFiles() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dims: [3, 2, 2], data: pixels))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [3], data: labels))
        let plain = try IDXReader.read(images: images, labels: labelsFile)
        let zipped = try IDXReader.read(images: dir.gzip(images), labels: dir.gzip(labelsFile))
        #expect(zipped.features == plain.features)
        #expect(zipped.labelCodes == plain.labelCodes)
    }

    @Test func loaderEncodesIntegerLabelsAtTheirOwnIndex() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img-idx3-ubyte", bytes: Fixture.idx(dims: [3, 2, 2], data: pixels))
        let labelsFile = try dir.write("lbl-idx1-ubyte", bytes: Fixture.idx(dims: [3], data: labels))
        var registry = LabelRegistry()
        let dataset = try DatasetLoader.load(path: images, labelsPath: labelsFile, registry: &registry)
        #expect(dataset.labels == [7, 1, 7])
        #expect(registry.classCount == 8)
    }

    @Test func truncatedImagesNameTheFileAndTheRecord() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dims: [3, 2, 2], data: Array(pixels.prefix(9))))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [3], data: labels))
        let message = errorMessage { try IDXReader.read(images: images, labels: labelsFile) }
        #expect(message == "img: truncated at record 3 of 3 (header declares 12 data bytes, 9 present)")
    }

    @Test func truncatedGzipStreamIsACorruptGzipError() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.gzip(dir.write("img", bytes: Fixture.idx(dims: [3, 2, 2], data: pixels)))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: images)))
        let cut = try dir.write("cut.gz", bytes: Array(bytes.prefix(bytes.count / 2)))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [3], data: labels))
        let message = errorMessage { try IDXReader.read(images: cut, labels: labelsFile) }
        #expect(message?.hasPrefix("cut.gz: corrupt gzip data: ") == true)
        #expect(message?.contains("\n") == false)
    }

    @Test func garbageIsABadMagic() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("junk.bin", text: "hello, world")
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [3], data: labels))
        let message = errorMessage { try IDXReader.read(images: images, labels: labelsFile) }
        #expect(message == "junk.bin: not an IDX file (magic 0x68656c6c; expected 0x0000TTRR with element type TT one of 08 09 0b 0c 0d 0e and rank RR 01-04)")
    }

    @Test func undefinedElementTypeIsABadMagic() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dtype: 0x0A, dims: [1, 1], data: [0]))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [1], data: [0]))
        let message = errorMessage { try IDXReader.read(images: images, labels: labelsFile) }
        #expect(message?.hasPrefix("img: not an IDX file (magic 0x00000a02; ") == true)
    }

    @Test func imageAndLabelCountsMustMatch() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dims: [3, 2, 2], data: pixels))
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [2], data: [1, 2]))
        let message = errorMessage { try IDXReader.read(images: images, labels: labelsFile) }
        #expect(message == "lbl: 2 labels, but img has 3 images")
    }

    @Test func emptyFilesAreRejected() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("empty-idx3-ubyte", bytes: [])
        let labelsFile = try dir.write("lbl", bytes: Fixture.idx(dims: [3], data: labels))
        let message = errorMessage { try IDXReader.read(images: images, labels: labelsFile) }
        #expect(message == "empty-idx3-ubyte: empty file")
    }

    @Test func labelsMustBeOneDimensional() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write("img", bytes: Fixture.idx(dims: [3, 2, 2], data: pixels))
        let message = errorMessage { try IDXReader.read(images: images, labels: images) }
        #expect(message == "img: IDX array has 3 dimensions, expected 1 (count)")
    }

    @Test func missingFileIsUnreadable() throws {
        let message = errorMessage { try IDXReader.read(images: "/nonexistent/x-ubyte", labels: "/nonexistent/y") }
        #expect(message == "x-ubyte: cannot read file: No such file or directory")
    }
}
