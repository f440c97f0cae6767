import Foundation
import GroveData
import GroveLearning
import GroveNumerics
import Testing

/// The Fashion-MNIST training set, loaded once for every test here.
private let fashionTrain = Result<Dataset, any Error> {
    var registry = LabelRegistry()
    let directory = BuiltinStream.fashionMNISTDirectory
    return try DatasetLoader.load(path: directory + "/train-images-idx3-ubyte.gz",
                                  labelsPath: directory + "/train-labels-idx1-ubyte.gz", registry: &registry)
}

/// The rows of `classes`, split in two disjoint halves (first half, second half, in file order).
private func halves(of classes: Set<Int32>) throws -> (first: Dataset, second: Dataset) {
    let train = try fashionTrain.get()
    let rows = train.labels.indices.filter { classes.contains(train.labels[$0]) }
    let middle = rows.count / 2
    return (train.subset(Array(rows[..<middle])), train.subset(Array(rows[middle...])))
}

private func matrix(_ d: Dataset) -> Matrix {
    Matrix(rows: d.count, cols: d.dimension, storage: d.features)
}

/// The split-stream domains {0,1} and {2,3} of the built-in split stream through the default detector
/// (256 rows a side, 200 permutations, α = 0.01, seed 0). Skipped without the Debian
/// `dataset-fashion-mnist` files.
@Suite(.enabled(if: FileManager.default.fileExists(
    atPath: BuiltinStream.fashionMNISTDirectory + "/train-labels-idx1-ubyte.gz")))
struct DetectionFashionMNISTTests {
    let tops: (first: Dataset, second: Dataset)
    let pullovers: (first: Dataset, second: Dataset)
    let known: [(name: String, signature: DomainSignature)]
    let detector = DriftDetector()

    init() throws {
        tops = try halves(of: [0, 1])
        pullovers = try halves(of: [2, 3])
        known = [("classes-0-1", DomainSignature(dataset: tops.first, seed: 0)),
                 ("classes-2-3", DomainSignature(dataset: pullovers.first, seed: 1))]
    }

    @Test func secondSplitDomainIsNewAgainstTheFirst() throws {
        let detection = try detector.detect(matrix(pullovers.second), source: "classes 2,3", against: [known[0]])
        print("Fashion-MNIST {2,3} vs [{0,1}]: \(detection.decision), MMD² \(detection.statistic ?? .nan), p \(detection.pValue ?? .nan)")
        #expect(detection.decision == .new, "\(detection)")
        #expect(detection.nearestDomain == "classes-0-1")
    }

    @Test func disjointSampleOfTheFirstDomainIsKnownWithItNearest() throws {
        let detection = try detector.detect(matrix(tops.second), source: "classes 0,1 (second half)", against: known)
        print("Fashion-MNIST second {0,1} vs [{0,1}, {2,3}]: \(detection.decision), evidence \(detection.evidence)")
        #expect(detection.decision == .known, "\(detection)")
        #expect(detection.nearestDomain == "classes-0-1", "\(detection)")
        #expect(detection.evidence[1].pValue < detection.significance, "\(detection)")
    }

    @Test func pixelPermutedCopyOfAKnownDomainIsNew() throws {
        let permuted = try PixelPermutation.apply(PixelPermutation.make(seed: 1, count: 784), to: tops.second)
        let detection = try detector.detect(matrix(permuted), source: "classes 0,1 permuted", against: known)
        print("Fashion-MNIST permuted {0,1} vs [{0,1}, {2,3}]: \(detection.decision), evidence \(detection.evidence)")
        #expect(detection.decision == .new, "\(detection)")
        #expect(detection.evidence.allSatisfy { $0.pValue < detection.significance }, "\(detection)")
    }
}
