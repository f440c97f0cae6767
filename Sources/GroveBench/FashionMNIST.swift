import GroveData
import GroveNumerics

/// The Fashion-MNIST training and test sets (Debian's `dataset-fashion-mnist`) as matrices.
public struct FashionMNIST: Sendable {
    /// Training images `(60000, 784)`, pixel values 0...255 as stored.
    public var trainX: Matrix
    /// Training labels 0...9.
    public var trainY: [Int32]
    /// Test images `(10000, 784)`, pixel values 0...255 as stored.
    public var testX: Matrix
    /// Test labels 0...9.
    public var testY: [Int32]

    /// Loads both sets from `directory` (default: where the Debian package puts them).
    /// - Throws: the reader's one-line error naming the file when a file is missing or bad.
    public static func load(directory: String = BuiltinStream.fashionMNISTDirectory) throws -> FashionMNIST {
        var registry = LabelRegistry()
        func read(_ images: String, _ labels: String) throws -> (Matrix, [Int32]) {
            let d = try DatasetLoader.load(path: "\(directory)/\(images)", format: .idx,
                                           labelsPath: "\(directory)/\(labels)", registry: &registry)
            return (Matrix(rows: d.count, cols: d.dimension, storage: d.features), d.labels)
        }
        let (trainX, trainY) = try read("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
        let (testX, testY) = try read("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
        return FashionMNIST(trainX: trainX, trainY: trainY, testX: testX, testY: testY)
    }
}
