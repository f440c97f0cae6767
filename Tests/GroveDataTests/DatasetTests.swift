import Foundation
import GroveData
import GroveTestSupport
import Testing

struct LabelRegistryTests {
    @Test func integerLabelsKeepTheirNumericIndexWhateverTheOrder() {
        var registry = LabelRegistry()
        for label in ["9", "0", "3", "7", "1", "2", "4", "5", "6", "8"] { registry.index(registering: label) }
        for n in 0 ..< 10 { #expect(registry.index(of: String(n)) == Int32(n)) }
        #expect(registry.classCount == 10)
    }

    @Test func stringLabelsTakeTheSmallestFreeIndexAndIndicesNeverMove() {
        var registry = LabelRegistry()
        #expect(registry.index(registering: "9") == 9)
        #expect(registry.index(registering: "sandal") == 0)
        #expect(registry.index(registering: "0") == 1)
        #expect(registry.index(registering: "007") == 2)
        #expect(registry.index(registering: "9") == 9)
        #expect(registry.name(of: 3) == nil)
        #expect(registry.labels == ["sandal", "0", "007", "9"])
    }

    @Test func codableRoundTripKeepsIndicesAndGaps() throws {
        var registry = LabelRegistry()
        registry.index(registering: "4")
        registry.index(registering: "cat")
        let data = try JSONEncoder().encode(registry)
        #expect(String(decoding: data, as: UTF8.self) == #"{"names":["cat",null,null,null,"4"]}"#)
        let decoded = try JSONDecoder().decode(LabelRegistry.self, from: data)
        #expect(decoded == registry)
        #expect(decoded.index(of: "4") == 4)
    }
}

struct DatasetTests {
    /// 100 samples of dimension 3 over 4 classes (sample i has features [i, i, i], class i % 4).
    func sample() throws -> Dataset {
        let features = (0 ..< 100).flatMap { i in [Float](repeating: Float(i), count: 3) }
        return try Dataset(features: features, dimension: 3, labels: (0 ..< 100).map { Int32($0 % 4) }, source: "s")
    }

    @Test(arguments: [0, 1, 42] as [UInt64])
    func splitIsDeterministicDisjointAndStratified(seed: UInt64) throws {
        let data = try sample()
        let (train, test) = try data.split(testFraction: 0.2, seed: seed)
        let again = try data.split(testFraction: 0.2, seed: seed)
        #expect(train == again.train && test == again.test, "seed \(seed)")
        let trainIDs = Set((0 ..< train.count).map { Int(train.row($0).first ?? -1) })
        let testIDs = Set((0 ..< test.count).map { Int(test.row($0).first ?? -1) })
        #expect(trainIDs.isDisjoint(with: testIDs))
        #expect(trainIDs.union(testIDs) == Set(0 ..< 100))
        #expect(test.count == 20)
        for c in 0 ..< 4 as Range<Int32> { #expect(test.labels.filter { $0 == c }.count == 5, "seed \(seed)") }
        for i in 0 ..< test.count { #expect(test.labels[i] == Int32(Int(test.row(i).first ?? 0) % 4)) }
    }

    @Test func differentSeedsGiveDifferentSplits() throws {
        let data = try sample()
        #expect(try data.split(seed: 1).test != data.split(seed: 2).test)
    }

    @Test func splitRejectsAFractionOutsideTheUnitInterval() throws {
        #expect(errorMessage { try sample().split(testFraction: 1, seed: 0) } == "test fraction 1.0 is outside [0, 1)")
    }

    @Test func initValidatesShapeAndFiniteness() {
        #expect(errorMessage { try Dataset(features: [1, 2, 3], dimension: 2, labels: [0, 1], source: "m") }
            == "m: inconsistent shape: 3 feature values, expected 2 x 2")
        #expect(errorMessage { try Dataset(features: [], dimension: 2, labels: [], source: "m") } == "m: no samples")
        #expect(errorMessage { try Dataset(features: [1, .infinity], dimension: 1, labels: [0, 0], source: "m") }
            == "m: record 2: feature 0 is inf, features must be finite")
        // 4 x 2^62 wraps to 0 in 64 bits: the empty feature array must not pass for it.
        #expect(errorMessage { try Dataset(features: [], dimension: 1 << 62, labels: [0, 0, 0, 0], source: "m") }
            == "m: inconsistent shape: 0 feature values, expected 4 x 4611686018427387904")
    }

    @Test func permutationIsAFixedFunctionOfItsSeed() {
        let a = PixelPermutation.make(seed: 3, count: 784)
        #expect(a == PixelPermutation.make(seed: 3, count: 784))
        #expect(a != PixelPermutation.make(seed: 4, count: 784))
        #expect(a.sorted() == Array(0 ..< 784))
    }

    /// Values from an independent Python transcription of SplitMix64 → xoshiro256** → Fisher–Yates
    /// with `(i + 1) * next() >> 64` draws, so the streams stay the same across Swift versions.
    @Test func permutationMatchesTheDocumentedAlgorithm() {
        #expect(PixelPermutation.make(seed: 1, count: 10) == [3, 6, 1, 5, 0, 9, 2, 8, 4, 7])
        #expect(PixelPermutation.make(seed: 2, count: 784).prefix(12)
            == [451, 194, 395, 136, 434, 240, 437, 97, 751, 673, 565, 666])
    }

    @Test func applyingAPermutationReordersEverySample() throws {
        let data = try Dataset(features: [1, 2, 3, 4, 5, 6], dimension: 3, labels: [0, 1], source: "p")
        let out = try PixelPermutation.apply([2, 0, 1], to: data)
        #expect(out.features == [3, 1, 2, 6, 4, 5])
        #expect(out.labels == data.labels)
        #expect(errorMessage { try PixelPermutation.apply([0, 1], to: data) }
            == "p: permutation has 2 entries, but the dimension is 3")
    }

    @Test func rotationByNinetyDegreesMovesPixelsCounterClockwise() throws {
        // 3 x 3 image with a single lit pixel at the top-right corner (row 0, column 2).
        var pixels = [Float](repeating: 0, count: 9)
        pixels[2] = 1
        let data = try Dataset(features: pixels, dimension: 9, labels: [0], source: "r")
        let quarter = try ImageRotation.apply(degrees: 90, to: data)
        #expect(zip(quarter.features, [1, 0, 0, 0, 0, 0, 0, 0, 0] as [Float]).allSatisfy { abs($0 - $1) < 1e-5 })
        let full = try ImageRotation.apply(degrees: 360, to: data)
        #expect(full.features == pixels)
        let notSquare = try Dataset(features: [1, 2], dimension: 2, labels: [0], source: "r")
        #expect(errorMessage { try ImageRotation.apply(degrees: 15, to: notSquare) }
            == "r: cannot rotate: dimension 2 is not a square image")
    }

    @Test func formatDetectionUsesTheExtensionAndIgnoresGzip() {
        #expect(DatasetFormat.detect(path: "/a/train-images-idx3-ubyte.gz") == .idx)
        #expect(DatasetFormat.detect(path: "x.IDX3") == .idx)
        #expect(DatasetFormat.detect(path: "d.csv.gz") == .csv)
        #expect(DatasetFormat.detect(path: "d.ndjson") == .jsonl)
        #expect(DatasetFormat.detect(path: "d.npy") == .npy)
        #expect(DatasetFormat.detect(path: "d.parquet") == nil)
        var registry = LabelRegistry()
        #expect(errorMessage { try DatasetLoader.load(path: "d.parquet", registry: &registry) }
            == "d.parquet: cannot infer the dataset format from the file name; give it explicitly (idx, csv, jsonl, npy)")
    }

    @Test func explicitFormatOverridesTheExtension() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("data.txt", text: "label,x\n1,2\n")
        var registry = LabelRegistry()
        #expect(try DatasetLoader.load(path: path, format: .csv, registry: &registry).features == [2])
    }

    @Test func keepingClassesFiltersBeforeRegistering() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("k.csv", text: "label,x\ncat,1\ndog,2\nbird,3\ncat,4\n")
        var registry = LabelRegistry()
        let data = try DatasetLoader.load(path: path, classes: ["cat", "bird"], registry: &registry)
        #expect(data.features == [1, 3, 4])
        #expect(registry.labels == ["cat", "bird"])
    }
}
