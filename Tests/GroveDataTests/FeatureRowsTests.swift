import Foundation
import GroveData
import GroveTestSupport
import Testing

/// Predictions read features alone: NPY and IDX files need no labels file, and what they read
/// is exactly the features a labelled read gives.
struct FeatureRowsTests {
    @Test func npyAndIDXFeaturesReadWithoutLabelsEqualTheLabelledRead() throws {
        let dir = try TemporaryDirectory()
        let pixels: [UInt8] = [0, 255, 51, 0, 1, 2, 3, 4]
        let npy = try dir.write("x.npy", bytes: Fixture.npy(descr: "|u1", shape: [2, 2, 2], data: pixels))
        let idx = try dir.write("x-ubyte", bytes: Fixture.idx(dims: [2, 2, 2], data: pixels))
        let npyLabels = try dir.write("y.txt", text: "a\nb\n")
        let idxLabels = try dir.write("y-ubyte", bytes: Fixture.idx(dims: [2], data: [7, 9]))
        for (path, labels) in [(npy, npyLabels), (idx, idxLabels)] {
            let alone = try DatasetLoader.readFeatures(path: path)
            let labelled = try DatasetLoader.readRaw(path: path, labelsPath: labels)
            #expect(alone.features == pixels.map(Float.init), "\(path)")
            #expect(alone == FeatureRows(labelled), "\(path)")
            #expect(alone.count == 2 && alone.dimension == 4 && alone.imageShape?.columns == 2)
        }
    }

    @Test func aGivenLabelsFileIsStillChecked() throws {
        let dir = try TemporaryDirectory()
        let npy = try dir.write("x.npy", bytes: Fixture.npy(descr: "|u1", shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
        let short = try dir.write("y.txt", text: "only-one\n")
        #expect(throws: DatasetError.self) { try DatasetLoader.readFeatures(path: npy, labelsPath: short) }
    }

    @Test func csvFeaturesDropTheLabelColumn() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("x.csv", text: "a,label,b\n1,cat,2\n3,dog,4\n")
        let rows = try DatasetLoader.readFeatures(path: csv)
        #expect(rows.features == [1, 2, 3, 4] && rows.dimension == 2 && rows.count == 2)
    }
}

/// A path that is not a regular file fails at once instead of blocking the reader.
struct SpecialFileTests {
    @Test func aFIFONamedAsADatasetFailsWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        let fifo = dir.path + "/data.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        var registry = LabelRegistry()
        #expect(throws: DatasetError.unreadable(file: "data.csv", reason: "not a regular file")) {
            try DatasetLoader.load(path: fifo, registry: &registry)
        }
        #expect(throws: DatasetError.unreadable(file: "data.csv", reason: "not a regular file")) {
            try DatasetLoader.readFeatures(path: fifo, format: .npy)
        }
    }
}
