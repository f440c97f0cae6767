import Foundation
import GroveData
import Testing

/// Rows written for labelling read back exactly: as NPY, and as CSV once labels are filled in.
@Suite struct FeatureRowsWriterTests {
    /// Values whose decimal forms are awkward: thirds, subnormals, extremes, negative zero.
    static let awkward: [Float] = [1.0 / 3, -2.0 / 3, 0.1, 1e-30, Float.leastNonzeroMagnitude, -0.0, 0,
                                   Float.greatestFiniteMagnitude, -Float.greatestFiniteMagnitude, 255, 0.003921569, 123456.79]

    static func rows() -> FeatureRows {
        FeatureRows(features: awkward + awkward.reversed() + awkward.map { $0 / 7 }, dimension: awkward.count, count: 3, source: "test")
    }

    @Test func npyReadsBackBitIdentical() throws {
        let rows = Self.rows()
        let read = try NPYReader.readFeatures(bytes: [UInt8](FeatureRowsWriter.npy(rows)), name: "rows.npy")
        #expect(read.count == 3 && read.dimension == rows.dimension)
        #expect(read.features.map(\.bitPattern) == rows.features.map(\.bitPattern))
    }

    @Test func npyHeaderIsPaddedToSixtyFourBytes() {
        let data = FeatureRowsWriter.npy(Self.rows())
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0 && data[10 + headerLength - 1] == UInt8(ascii: "\n"))
        #expect(data.count == 10 + headerLength + 3 * Self.awkward.count * 4)
    }

    @Test func csvWithLabelsFilledInReadsBackAsTheNPYDoes() throws {
        let rows = Self.rows()
        let text = String(decoding: FeatureRowsWriter.csv(rows), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4 && lines[0] == "label," + (1...rows.dimension).map { "x\($0)" }.joined(separator: ","))
        let labelled = ([lines[0]] + lines.dropFirst().enumerated().map { "class-\($0.offset)" + $0.element }).joined(separator: "\n")
        let read = try CSVReader.read(bytes: Array(labelled.utf8), name: "rows.csv")
        // Negative zero reads back as zero from text; every other value is bit-identical.
        #expect(read.features.map { $0 == 0 ? 0 : $0.bitPattern } == rows.features.map { $0 == 0 ? 0 : $0.bitPattern })
        #expect(read.labelNames == ["class-0", "class-1", "class-2"])
    }

    @Test func csvLeftUnlabelledIsRefusedNamingTheLine() {
        let text = FeatureRowsWriter.csv(Self.rows())
        #expect(throws: CSVError.missingLabel(file: "rows.csv", line: 2)) {
            try CSVReader.read(bytes: [UInt8](text), name: "rows.csv")
        }
    }
}
