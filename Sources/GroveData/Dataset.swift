/// A validated batch of labelled samples, ready for training.
///
/// Features are `count x dimension` Float32 values in one contiguous row-major buffer; sample
/// `i` is `features[i * dimension ..< (i + 1) * dimension]`. Labels are class indices into the
/// ``LabelRegistry`` the dataset was encoded with.
///
/// Build one with ``DatasetLoader`` (from a file) or ``RawDataset/encoded(into:)``.
///
/// ## Topics
/// - ``split(testFraction:seed:)``
/// - ``subset(_:)``
/// - ``validate(expectedDimension:)``
public struct Dataset: Sendable, Equatable {
    /// Row-major features, `count * dimension` values.
    public var features: [Float]
    /// Number of features per sample.
    public var dimension: Int
    /// Number of samples.
    public var count: Int
    /// One class index per sample, into the registry the dataset was encoded with.
    public var labels: [Int32]
    /// The file the samples came from, for messages.
    public var source: String

    /// Creates a dataset after checking its shape and that every feature is finite.
    /// - Throws: ``DatasetError`` when `features.count != labels.count * dimension`, when there
    ///   are no samples, or when a feature is NaN or infinite.
    public init(features: [Float], dimension: Int, labels: [Int32], source: String) throws {
        self.init(unchecked: features, dimension: dimension, labels: labels, source: source)
        try validate()
    }

    /// Creates a dataset without checks; callers guarantee the shape.
    init(unchecked features: [Float], dimension: Int, labels: [Int32], source: String) {
        self.features = features
        self.dimension = dimension
        self.count = labels.count
        self.labels = labels
        self.source = source
    }

    /// The distinct class indices present, ascending.
    public var classes: [Int32] { Array(Set(labels)).sorted() }

    /// The features of sample `index`.
    public func row(_ index: Int) -> ArraySlice<Float> {
        features[index * dimension ..< (index + 1) * dimension]
    }

    /// The samples at `indices`, in that order (indices may repeat).
    /// - Precondition: every index is in `0..<count`.
    public func subset(_ indices: [Int]) -> Dataset {
        let d = dimension
        let out = [Float](unsafeUninitializedCapacity: indices.count * d) { buffer, initialized in
            features.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "subset index \(i) out of 0..<\(count)")
                    for j in 0 ..< d { buffer.initializeElement(at: k * d + j, to: src[i * d + j]) }
                }
            }
            initialized = indices.count * d
        }
        return Dataset(unchecked: out, dimension: d, labels: indices.map { labels[$0] }, source: source)
    }
}
