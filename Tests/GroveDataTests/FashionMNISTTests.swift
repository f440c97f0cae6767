import Foundation
import GroveData
import Testing

struct BuiltinStreamTests {
    @Test(arguments: BuiltinStream.allCases)
    func embeddedYAMLEqualsTheShippedManifest(stream: BuiltinStream) throws {
        let file = try String(contentsOfFile: repositoryRoot + "/jobs/" + stream.fileName, encoding: .utf8)
        #expect(stream.yaml == file)
        #expect(try stream.manifest() == JobManifest.load(path: repositoryRoot + "/jobs/" + stream.fileName))
    }

    @Test func splitStreamHasFiveDomainsOfTwoClasses() throws {
        let manifest = try BuiltinStream.splitFashionMNIST.manifest()
        #expect(manifest.name == "split-fashion-mnist")
        #expect(manifest.domains.map { $0.source.classes ?? [] }
            == [["0", "1"], ["2", "3"], ["4", "5"], ["6", "7"], ["8", "9"]])
        #expect(manifest.domains.allSatisfy { $0.source.testPath != nil && $0.source.permutationSeed == nil })
    }

    @Test func permutedStreamIsIdentityThenSeedsOneToFour() throws {
        let manifest = try BuiltinStream.permutedFashionMNIST.manifest()
        #expect(manifest.domains.map(\.source.permutationSeed) == [nil, 1, 2, 3, 4])
        #expect(manifest.domains.allSatisfy { $0.source.classes == nil })
        #expect(BuiltinStream(name: "permuted-fashion-mnist") == .permutedFashionMNIST)
        #expect(BuiltinStream(name: "nope") == nil)
    }
}

/// Whether the Debian `dataset-fashion-mnist` files are present.
let fashionMNISTIsInstalled = FileManager.default.fileExists(
    atPath: BuiltinStream.fashionMNISTDirectory + "/train-labels-idx1-ubyte.gz")

/// Tests on the real Fashion-MNIST files (Debian `dataset-fashion-mnist`); skipped without them.
@Suite(.enabled(if: fashionMNISTIsInstalled))
struct FashionMNISTTests {
    static let directory = BuiltinStream.fashionMNISTDirectory

    @Test func trainAndTestSetsLoadWithTheirKnownShapes() throws {
        var registry = LabelRegistry()
        let train = try DatasetLoader.load(
            path: Self.directory + "/train-images-idx3-ubyte.gz",
            labelsPath: Self.directory + "/train-labels-idx1-ubyte.gz", registry: &registry)
        let test = try DatasetLoader.load(
            path: Self.directory + "/t10k-images-idx3-ubyte.gz",
            labelsPath: Self.directory + "/t10k-labels-idx1-ubyte.gz", registry: &registry,
            expectedDimension: train.dimension)
        #expect(train.count == 60_000 && train.dimension == 784 && train.features.count == 60_000 * 784)
        #expect(test.count == 10_000 && test.dimension == 784)
        #expect(train.labels.first == 9)
        #expect(train.classes == Array(0 ... 9))
        #expect(test.classes == Array(0 ... 9))
        #expect(registry.labels == (0 ... 9).map(String.init))
        #expect(train.features.min() == 0 && train.features.max() == 255, "pixels are the bytes as written, not rescaled")
    }

    @Test func splitStreamFirstDomainHasOnlyClassesZeroAndOne() throws {
        var registry = LabelRegistry()
        var columns: [String]?
        let domain = try BuiltinStream.splitFashionMNIST.manifest().domains[0].materialize(registry: &registry, columns: &columns)
        #expect(domain.train.count == 12_000)
        #expect(domain.train.classes == [0, 1])
        #expect(domain.test?.count == 2_000)
        #expect(domain.test?.classes == [0, 1])
        #expect(registry.labels == ["0", "1"])
    }

    @Test func permutedDomainIsAPixelPermutationOfTheIdentityDomain() throws {
        var registry = LabelRegistry()
        var columns: [String]?
        let domains = try BuiltinStream.permutedFashionMNIST.manifest().domains
        let identity = try domains[0].materialize(registry: &registry, columns: &columns)
        let permuted = try domains[2].materialize(registry: &registry, columns: &columns, expectedDimension: 784)
        #expect(permuted.train.labels == identity.train.labels)
        #expect(permuted.train.features != identity.train.features)
        let p = PixelPermutation.make(seed: 2, count: 784)
        for row in [0, 1, 59_999] {
            let a = Array(identity.train.row(row)), b = Array(permuted.train.row(row))
            #expect(b == p.map { a[$0] }, "row \(row)")
            #expect(a.sorted() == b.sorted(), "row \(row)")
        }
        #expect(permuted.test?.count == 10_000)
    }
}
