/// One manifest domain turned into data: its training samples and, when the manifest names a
/// held-out file, its test samples.
public struct DomainData: Sendable, Equatable {
    /// The domain's name from the manifest.
    public var name: String
    /// The training samples (the daemon holds part of them out when ``test`` is `nil`).
    public var train: Dataset
    /// Samples from the source's `test_path`, transformed like ``train``, or `nil`.
    public var test: Dataset?

    /// Creates domain data.
    public init(name: String, train: Dataset, test: Dataset?) {
        self.name = name
        self.train = train
        self.test = test
    }
}

extension JobManifest.Domain {
    /// Loads this domain's file(s), keeps its classes, then applies its pixel permutation and
    /// its rotation, in that order, to the training and test samples alike.
    ///
    /// - Parameters:
    ///   - registry: the model's label registry; new labels are registered only on success.
    ///   - columns: the model's feature names, or `nil` when it has none; a CSV's columns are
    ///     matched to them by name. On success, the model's names from now on (a model's first
    ///     dataset names them when it is a CSV); unchanged when this throws.
    ///   - expectedDimension: the model's input dimension, or `nil` when this domain fixes it.
    ///   - limits: the caps every file read must stay within.
    /// - Returns: the training samples and, if the source names a test file, the test samples.
    /// - Throws: the readers' errors, ``ReaderLimitError`` or ``DatasetError`` (a rotation of
    ///   non-square samples, a column the model does not have).
    public func materialize(
        registry: inout LabelRegistry, columns: inout [String]?, expectedDimension: Int? = nil,
        limits: ReaderLimits = .standard
    ) throws -> DomainData {
        var updated = registry
        var named = columns
        let train = try source.load(
            path: source.path, labels: source.labels, registry: &updated, columns: &named,
            expectedDimension: expectedDimension, limits: limits)
        let test = try source.testPath.map {
            try source.load(
                path: $0, labels: source.testLabels, registry: &updated, columns: &named,
                expectedDimension: train.dimension, limits: limits)
        }
        registry = updated
        columns = named
        return DomainData(name: name, train: train, test: test)
    }
}

extension JobManifest.Source {
    /// Loads one file of this source and applies the source's filter and transformations.
    func load(
        path: String, labels: String?, registry: inout LabelRegistry, columns: inout [String]?, expectedDimension: Int?,
        limits: ReaderLimits
    ) throws -> Dataset {
        var dataset = try DatasetLoader.load(
            path: path, format: format, labelsPath: labels, classes: classes.map(Set.init),
            registry: &registry, columns: &columns, expectedDimension: expectedDimension, limits: limits)
        if let permutationSeed {
            let permutation = PixelPermutation.make(seed: permutationSeed, count: dataset.dimension)
            dataset = try PixelPermutation.apply(permutation, to: dataset)
        }
        if let rotationDegrees {
            dataset = try ImageRotation.apply(degrees: rotationDegrees, to: dataset)
        }
        return dataset
    }
}
