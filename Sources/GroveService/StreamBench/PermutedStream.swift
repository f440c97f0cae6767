import Foundation
import GroveData

/// The permuted Fashion-MNIST stream of `grove bench --stream permuted`: one seeded subset of
/// the training images and one of the test images, written once as small uncompressed IDX
/// files, and `domains` domains that all read them, domain `i > 0` with the fixed pixel
/// permutation of seed `i` (standard permuted MNIST: the same images, a different permutation).
public struct PermutedStream: Sendable {
    /// The stream, every domain's source pointing at the subset files.
    public let manifest: JobManifest
    /// Training images per domain.
    public let samples: Int
    /// Held-out images per domain.
    public let testSamples: Int

    /// Writes the subset files into `directory` and describes the stream.
    /// - Parameters:
    ///   - samples: training images, a seeded choice among the 60 000 (all when more).
    ///   - testSamples: held-out images, a seeded choice among the 10 000 (all when more).
    ///   - seed: chooses both subsets.
    ///   - source: the directory of Fashion-MNIST's IDX files.
    /// - Throws: the reader's error naming a missing or bad file, a write error, or a
    ///   ``ManifestError`` for `domains < 1`.
    public static func prepare(
        domains: Int, samples: Int, testSamples: Int, seed: UInt64, in directory: URL,
        source: String = BuiltinStream.fashionMNISTDirectory
    ) throws -> PermutedStream {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let train = try write(
            IDXSubset.select(images: "\(source)/train-images-idx3-ubyte.gz", labels: "\(source)/train-labels-idx1-ubyte.gz",
                             count: samples, seed: seed),
            name: "train", in: directory)
        let test = try write(
            IDXSubset.select(images: "\(source)/t10k-images-idx3-ubyte.gz", labels: "\(source)/t10k-labels-idx1-ubyte.gz",
                             count: testSamples, seed: seed &+ 0x9E37_79B9_7F4A_7C15),
            name: "test", in: directory)
        let list = (0 ..< max(0, domains)).map { i in
            JobManifest.Domain(name: "permuted-\(i)", source: JobManifest.Source(
                format: .idx, path: train.images, labels: train.labels, testPath: test.images, testLabels: test.labels,
                permutationSeed: i == 0 ? nil : UInt64(i)))
        }
        let manifest = try JobManifest(
            name: "permuted-fashion-mnist-\(domains)",
            description: "Fashion-MNIST in \(domains) domains, each a fixed pixel permutation of the same images.",
            domains: list
        ).validated(file: "permuted-fashion-mnist-\(domains)")
        return PermutedStream(manifest: manifest, samples: train.count, testSamples: test.count)
    }

    /// Writes `subset` as `<name>-images.idx` and `<name>-labels.idx`.
    private static func write(_ subset: IDXSubset, name: String, in directory: URL) throws -> (images: String, labels: String, count: Int) {
        let images = directory.appendingPathComponent("\(name)-images.idx")
        let labels = directory.appendingPathComponent("\(name)-labels.idx")
        try Data(subset.images).write(to: images)
        try Data(subset.labels).write(to: labels)
        return (images.path, labels.path, subset.count)
    }
}
