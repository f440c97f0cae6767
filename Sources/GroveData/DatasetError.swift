import GroveNumerics

/// A defect shared by every dataset format: unreadable files, failed validation, a dimension
/// that does not match the model, or a labels file of another length.
///
/// Format-specific defects have their own enums (``IDXError``, ``CSVError``, ``JSONLError``,
/// ``NPYError``). Every `description` is one line that names the file and, where it applies,
/// the record (1-based sample number) or the line.
///
/// ```swift
/// do { _ = try DatasetLoader.load(path: "a.csv", registry: &registry, expectedDimension: 784) }
/// catch let error as DatasetError { print("error: \(error)") }
/// // error: a.csv: 3 features per sample, but the model's input dimension is 784
/// ```
public enum DatasetError: GroveError, Equatable {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The file has no bytes at all.
    case emptyFile(file: String)
    /// The file decoded to zero samples.
    case noSamples(file: String)
    /// A gzip stream could not be inflated.
    case corruptGzip(file: String, reason: String)
    /// The format could not be inferred from the file name.
    case unknownFormat(file: String)
    /// A feature value is NaN or infinite (`record` is 1-based, `feature` is 0-based).
    case nonFiniteFeature(file: String, record: Int, feature: Int, value: Float)
    /// A finite value of a binary file (`float64`) is beyond the range of the Float features
    /// (`record` is 1-based, `feature` is 0-based).
    case featureOutOfRange(file: String, record: Int, feature: Int, value: Double)
    /// The features are not `count x dimension` or the labels are not `count` long.
    case inconsistentShape(file: String, reason: String)
    /// The dataset's dimension differs from the model's fixed input dimension.
    case dimensionMismatch(file: String, expected: Int, actual: Int)
    /// IDX and NPY features need a separate labels file, and none was given.
    case missingLabelsFile(file: String, format: String)
    /// A labels file holds a different number of labels than there are samples.
    case labelCountMismatch(file: String, labelsFile: String, samples: Int, labels: Int)
    /// A labels text file has an empty line before its end.
    case emptyLabel(file: String, line: Int)
    /// A floating-point label (`record` is 1-based) is not a whole number a class can be named by.
    case fractionalLabel(file: String, record: Int, value: Double)
    /// The file's header names a feature column the model does not have.
    case unknownFeatureColumn(file: String, column: String)
    /// A split was asked for with a test fraction outside [0, 1).
    case invalidTestFraction(Double)
    /// A rotation needs square images, and the dimension is not a perfect square.
    case notSquareImages(file: String, dimension: Int)
    /// A permutation does not have exactly `dimension` entries.
    case permutationSizeMismatch(file: String, dimension: Int, permutation: Int)

    /// The one-line message printed after `error: `; line breaks in text from a file are escaped.
    public var description: String { message.escapingLineBreaks }

    private var message: String {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): cannot read file: \(reason)"
        case .emptyFile(let file):
            "\(file): empty file"
        case .noSamples(let file):
            "\(file): no samples"
        case .corruptGzip(let file, let reason):
            "\(file): corrupt gzip data: \(reason)"
        case .unknownFormat(let file):
            "\(file): cannot infer the dataset format from the file name; give it explicitly (idx, csv, jsonl, npy)"
        case .nonFiniteFeature(let file, let record, let feature, let value):
            "\(file): record \(record): feature \(feature) is \(value), features must be finite"
        case .featureOutOfRange(let file, let record, let feature, let value):
            "\(file): record \(record): feature \(feature) is \(value), outside the float32 range of features (±\(Float.greatestFiniteMagnitude))"
        case .inconsistentShape(let file, let reason):
            "\(file): inconsistent shape: \(reason)"
        case .dimensionMismatch(let file, let expected, let actual):
            "\(file): \(actual) features per sample, but the model's input dimension is \(expected)"
        case .missingLabelsFile(let file, let format):
            "\(file): \(format) features need a labels file (--labels PATH)"
        case .labelCountMismatch(let file, let labelsFile, let samples, let labels):
            "\(labelsFile): \(labels) labels, but \(file) has \(samples) samples"
        case .emptyLabel(let file, let line):
            "\(file):\(line): empty label"
        case .fractionalLabel(let file, let record, let value):
            "\(file): record \(record): label \(value) is not a whole number; floating-point labels must hold class numbers"
        case .unknownFeatureColumn(let file, let column):
            "\(file):1: column '\(column)' is not one of the model's features (named by the first CSV it learned)"
        case .invalidTestFraction(let fraction):
            "test fraction \(fraction) is outside [0, 1)"
        case .notSquareImages(let file, let dimension):
            "\(file): cannot rotate: dimension \(dimension) is not a square image"
        case .permutationSizeMismatch(let file, let dimension, let permutation):
            "\(file): permutation has \(permutation) entries, but the dimension is \(dimension)"
        }
    }
}
