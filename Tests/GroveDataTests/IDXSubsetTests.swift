import Foundation
import GroveData
import GroveTestSupport
import Testing

/// The seeded subsets `grove bench --stream` learns from.
struct IDXSubsetTests {
    /// 20 records of 2×3 pixels, every pixel of record r equal to r, labelled r % 10.
    private func files(in dir: TemporaryDirectory, labels: Int = 20) throws -> (images: String, labels: String) {
        let images = try dir.write("images.idx", bytes: Fixture.idx(dims: [20, 2, 3], data: (0 ..< 20).flatMap { [UInt8](repeating: UInt8($0), count: 6) }))
        let labelsPath = try dir.write("labels.idx", bytes: Fixture.idx(dims: [labels], data: (0 ..< labels).map { UInt8($0 % 10) }))
        return (images, labelsPath)
    }

    @Test func subsetKeepsChosenRecordsWithTheirLabelsInFileOrder() throws {
        let dir = try TemporaryDirectory()
        let (images, labels) = try files(in: dir)
        let subset = try IDXSubset.select(images: images, labels: labels, count: 7, seed: 3)
        #expect(subset.count == 7)
        let path = try dir.write("subset-images.idx", bytes: subset.images)
        let labelsPath = try dir.write("subset-labels.idx", bytes: subset.labels)
        let raw = try IDXReader.read(images: path, labels: labelsPath)
        #expect(raw.count == 7 && raw.dimension == 6 && raw.imageShape == ImageShape(rows: 2, columns: 3))
        let records = (0 ..< 7).map { Int(raw.features[$0 * 6]) }
        #expect(records == records.sorted() && Set(records).count == 7)
        for (i, r) in records.enumerated() {
            #expect(raw.features[i * 6 ..< i * 6 + 6].allSatisfy { Int($0) == r })
            #expect(raw.labelNames[Int(raw.labelCodes[i])] == String(r % 10))
        }
        #expect(try IDXSubset.select(images: images, labels: labels, count: 7, seed: 3).images == subset.images)
        #expect(try IDXSubset.select(images: images, labels: labels, count: 7, seed: 4).images != subset.images)
    }

    @Test func askingForMoreThanTheFileHoldsTakesEveryRecord() throws {
        let dir = try TemporaryDirectory()
        let (images, labels) = try files(in: dir)
        let subset = try IDXSubset.select(images: images, labels: labels, count: 50, seed: 0)
        #expect(subset.count == 20)
        #expect(subset.images == (try Array(Data(contentsOf: URL(fileURLWithPath: images)))))
    }

    @Test func mismatchedCountsAreRefused() throws {
        let dir = try TemporaryDirectory()
        let (images, labels) = try files(in: dir, labels: 19)
        #expect(throws: IDXError.self) { try IDXSubset.select(images: images, labels: labels, count: 5, seed: 0) }
    }
}
