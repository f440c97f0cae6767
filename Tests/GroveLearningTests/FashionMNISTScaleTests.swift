import Foundation
import GroveData
import GroveLearning
import GroveNumerics
import Testing

/// Real images on two scales: raw 0–255 Fashion-MNIST pixels (IDX as written) and rotated
/// images scaled to [0, 1]. Skipped without the Debian `dataset-fashion-mnist` files.
@Suite(.enabled(if: FileManager.default.fileExists(
    atPath: BuiltinStream.fashionMNISTDirectory + "/t10k-labels-idx1-ubyte.gz")))
struct FashionMNISTScaleTests {
    /// Train and held-out images of both domains.
    let raw: (train: Dataset, test: Dataset)
    let rotatedUnit: (train: Dataset, test: Dataset)

    init() throws {
        let directory = BuiltinStream.fashionMNISTDirectory
        var registry = LabelRegistry()
        let train = try DatasetLoader.load(path: directory + "/train-images-idx3-ubyte.gz",
                                           labelsPath: directory + "/train-labels-idx1-ubyte.gz", registry: &registry)
        let test = try DatasetLoader.load(path: directory + "/t10k-images-idx3-ubyte.gz",
                                          labelsPath: directory + "/t10k-labels-idx1-ubyte.gz", registry: &registry)
        #expect(train.features.max() == 255, "IDX pixels are read as written, 0…255")
        raw = (train.subset(Array(0..<8000)), test.subset(Array(0..<5000)))
        func rotatedAndScaled(_ d: Dataset) throws -> Dataset {
            var out = try ImageRotation.apply(degrees: 90, to: d)
            for i in out.features.indices { out.features[i] /= 255 }
            return out
        }
        rotatedUnit = (try rotatedAndScaled(train.subset(Array(8000..<16000))),
                       try rotatedAndScaled(test.subset(Array(5000..<10000))))
    }

    /// The defaults, with smaller experts and gate and replay so that a debug build runs it.
    private func config() -> LifelongConfig {
        var c = LifelongConfig()
        c.expertHidden = 64
        c.gateHidden = 64
        c.replayPerDomain = 1000
        return c
    }

    /// Each domain's accuracy on its whole held-out set after learning `domains` in order (a
    /// phase's own evaluation reads a sample, which differs between the streams compared).
    private func accuracies(_ domains: [(name: String, data: (train: Dataset, test: Dataset))]) throws -> [String: Double] {
        var learner = LifelongLearner(config: config())
        for domain in domains {
            try learner.learn(train: domain.data.train, test: domain.data.test, declaredDomain: domain.name)
        }
        return Dictionary(uniqueKeysWithValues: try learner.evaluateFully().map { ($0.domain, $0.accuracy) })
    }

    @Test func rawPixelsAndRotatedUnitScaleImagesAreEachLearnedAsWellAsAlone() throws {
        let a = (name: "raw-0-255", data: raw)
        let b = (name: "rotated-0-1", data: rotatedUnit)
        let alone = try accuracies([a]).merging(try accuracies([b])) { first, _ in first }
        for (name, value) in alone { #expect(value > 0.7, "\(name) alone: \(value)") }
        for order in [[a, b], [b, a]] {
            let together = try accuracies(order)
            for domain in [a, b] {
                let value = try #require(together[domain.name])
                let single = try #require(alone[domain.name])
                #expect(value >= single - 0.02, "\(order.map(\.name)): \(domain.name) reached \(value), alone \(single)")
            }
        }
    }
}
