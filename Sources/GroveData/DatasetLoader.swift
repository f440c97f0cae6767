/// Loads and validates a dataset file of any supported format.
///
/// Reading, filtering and validation all happen before the ``LabelRegistry`` is touched: when
/// `load` throws, the registry (and so the model's label space) is unchanged.
///
/// ```swift
/// var registry = LabelRegistry()
/// let train = try DatasetLoader.load(
///     path: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
///     labelsPath: "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz",
///     registry: &registry)
/// let (fit, heldOut) = try train.split(testFraction: 0.15, seed: 0)
/// ```
public enum DatasetLoader {
    /// Reads a file into raw samples (labels still names), without validation beyond the format's.
    ///
    /// - Parameters:
    ///   - path: the features file (any format; gzip is detected).
    ///   - format: the format, or `nil` to infer it with ``DatasetFormat/detect(path:)``.
    ///   - labelsPath: the labels file, required for IDX and NPY, ignored otherwise.
    ///   - limits: the caps every file read must stay within.
    /// - Throws: the format's error enum, ``ReaderLimitError`` or ``DatasetError``.
    public static func readRaw(
        path: String, format: DatasetFormat? = nil, labelsPath: String? = nil, limits: ReaderLimits = .standard
    ) throws -> RawDataset {
        guard let format = format ?? DatasetFormat.detect(path: path) else {
            throw DatasetError.unknownFormat(file: FileBytes.displayName(path))
        }
        switch format {
        case .csv: return try CSVReader.read(path: path, limits: limits)
        case .jsonl: return try JSONLReader.read(path: path, limits: limits)
        case .idx, .npy:
            guard let labelsPath else { throw DatasetError.missingLabelsFile(file: FileBytes.displayName(path), format: format.rawValue) }
            return format == .idx
                ? try IDXReader.read(images: path, labels: labelsPath, limits: limits)
                : try NPYReader.read(path: path, labels: labelsPath, limits: limits)
        }
    }

    /// Reads the samples of a file for prediction: IDX and NPY features need no labels file (one
    /// given is read and checked all the same); a CSV needs no `label` column and a JSONL line
    /// no `y` (those there are not read).
    /// - Throws: as ``readRaw(path:format:labelsPath:limits:)``.
    public static func readFeatures(
        path: String, format: DatasetFormat? = nil, labelsPath: String? = nil, limits: ReaderLimits = .standard
    ) throws -> FeatureRows {
        guard let format = format ?? DatasetFormat.detect(path: path) else {
            throw DatasetError.unknownFormat(file: FileBytes.displayName(path))
        }
        switch (format, labelsPath) {
        case (.idx, nil): return try IDXReader.readImages(path: path, limits: limits)
        case (.npy, nil): return try NPYReader.readFeatures(path: path, limits: limits)
        case (.csv, _): return try CSVReader.readFeatures(path: path, limits: limits)
        case (.jsonl, _): return try JSONLReader.readFeatures(path: path, limits: limits)
        default: return FeatureRows(try readRaw(path: path, format: format, labelsPath: labelsPath, limits: limits))
        }
    }

    /// Reads, optionally filters, validates and encodes a dataset file.
    ///
    /// - Parameters:
    ///   - path: the features file.
    ///   - format: the format, or `nil` to infer it from the file name.
    ///   - labelsPath: the labels file for IDX and NPY.
    ///   - classes: label names to keep (`"3"` for the integer label 3), or `nil` for all.
    ///   - registry: the model's label registry; new labels are registered only on success.
    ///   - expectedDimension: the model's input dimension, fixed by its first dataset, or `nil`.
    ///   - limits: the caps every file read must stay within.
    /// - Returns: the validated dataset, labels encoded with `registry`.
    /// - Throws: ``IDXError``, ``CSVError``, ``JSONLError``, ``NPYError``, ``ReaderLimitError``
    ///   or ``DatasetError``, each a one-line message naming the file and the line or record.
    public static func load(
        path: String, format: DatasetFormat? = nil, labelsPath: String? = nil,
        classes: Set<String>? = nil, registry: inout LabelRegistry, expectedDimension: Int? = nil,
        limits: ReaderLimits = .standard
    ) throws -> Dataset {
        var columns: [String]?
        return try load(path: path, format: format, labelsPath: labelsPath, classes: classes, registry: &registry,
                        columns: &columns, expectedDimension: expectedDimension, limits: limits)
    }

    /// Reads, optionally filters, validates and encodes a dataset file whose named columns
    /// (a CSV header) are matched to the model's feature names (see ``RawDataset/arranged(as:)``).
    ///
    /// - Parameter columns: the model's feature names, or `nil` when it has none. On success,
    ///   the model's names from now on: a file's own names when this is the model's first
    ///   dataset (`expectedDimension` is `nil`) and the model had none. Left unchanged when
    ///   this throws, like `registry`.
    /// - Throws: as ``load(path:format:labelsPath:classes:registry:expectedDimension:limits:)``,
    ///   and ``DatasetError`` naming a column the model does not have.
    public static func load(
        path: String, format: DatasetFormat? = nil, labelsPath: String? = nil,
        classes: Set<String>? = nil, registry: inout LabelRegistry, columns: inout [String]?,
        expectedDimension: Int? = nil, limits: ReaderLimits = .standard
    ) throws -> Dataset {
        var raw = try readRaw(path: path, format: format, labelsPath: labelsPath, limits: limits).arranged(as: columns)
        if let classes { raw = raw.keeping(classes: classes) }
        let dataset = try raw.encoded(into: &registry, expectedDimension: expectedDimension)
        if columns == nil, expectedDimension == nil { columns = raw.columnNames }
        return dataset
    }
}
