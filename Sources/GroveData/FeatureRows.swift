/// Samples without labels: what a prediction reads from a file.
///
/// Features are `count x dimension` Float32 values, row-major, as the file holds them.
public struct FeatureRows: Sendable, Equatable {
    /// Row-major features, `count * dimension` values.
    public var features: [Float]
    /// Number of features per sample.
    public var dimension: Int
    /// Number of samples.
    public var count: Int
    /// The file the samples came from, for messages.
    public var source: String
    /// The images' size when the samples are images (IDX and 3-D NPY files), else `nil`.
    public var imageShape: ImageShape?
    /// The features' names in column order when the file names them (a CSV header), else `nil`.
    public var columnNames: [String]?

    /// Samples of `dimension` features each.
    public init(features: [Float], dimension: Int, count: Int, source: String) {
        self.features = features
        self.dimension = dimension
        self.count = count
        self.source = source
    }

    /// The features of a labelled dataset, its labels dropped.
    public init(_ raw: RawDataset) {
        self.init(features: raw.features, dimension: raw.dimension, count: raw.count, source: raw.source)
        imageShape = raw.imageShape
        columnNames = raw.columnNames
    }
}
