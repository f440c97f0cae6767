/// Samples as a reader decoded them, with labels still as names (not yet class indices).
///
/// `labelNames` lists the distinct labels in first-seen order and `labelCodes[i]` indexes it
/// for sample `i`, so a file with 60,000 samples and 10 classes keeps 10 strings. Turn it into a
/// ``Dataset`` with ``encoded(into:)`` once it has been filtered and transformed; keeping classes
/// before encoding means dropped labels never reach the ``LabelRegistry``.
public struct RawDataset: Sendable, Equatable {
    /// Row-major features, `count * dimension` values.
    public var features: [Float]
    /// Number of features per sample.
    public var dimension: Int
    /// Distinct label names in first-seen order.
    public var labelNames: [String]
    /// One index into ``labelNames`` per sample.
    public var labelCodes: [Int32]
    /// The file the samples came from, for messages.
    public var source: String
    /// The images' size when the samples are images (IDX and 3-D NPY files), else `nil`.
    public var imageShape: ImageShape?
    /// The features' names in column order when the file names them (a CSV header, the label
    /// column left out), else `nil`; see ``arranged(as:)``.
    public var columnNames: [String]?

    /// Number of samples.
    public var count: Int { labelCodes.count }

    /// Creates raw samples; `labelCodes` index `labelNames`.
    public init(
        features: [Float], dimension: Int, labelNames: [String], labelCodes: [Int32], source: String
    ) {
        self.features = features
        self.dimension = dimension
        self.labelNames = labelNames
        self.labelCodes = labelCodes
        self.source = source
    }

    /// `rows` with a label each: `labelCodes` (one per row) index `labelNames`.
    public init(_ rows: FeatureRows, labelNames: [String], labelCodes: [Int32]) {
        self.init(features: rows.features, dimension: rows.dimension, labelNames: labelNames, labelCodes: labelCodes,
                  source: rows.source)
        imageShape = rows.imageShape
    }

    /// The label name of sample `index`.
    public func label(at index: Int) -> String { labelNames[Int(labelCodes[index])] }

    /// Only the samples whose label is in `classes`, in their original order; labels are
    /// compared as written and in canonical form (``LabelName/canonical(_:)``: `3.0` is `3`).
    ///
    /// `labelNames` keeps only the names still present, in first-seen order.
    public func keeping(classes: Set<String>) -> RawDataset {
        let wanted = Set(classes.map(LabelName.canonical))
        let keep = labelNames.map { classes.contains($0) || wanted.contains(LabelName.canonical($0)) }
        let kept = (0 ..< count).filter { keep[Int(labelCodes[$0])] }
        let d = dimension
        var features: [Float] = []
        features.reserveCapacity(kept.count * d)
        var names = LabelTable()
        var codes: [Int32] = []
        codes.reserveCapacity(kept.count)
        self.features.withUnsafeBufferPointer { src in
            for i in kept {
                features.append(contentsOf: src[i * d ..< (i + 1) * d])
                codes.append(names.code(for: label(at: i)))
            }
        }
        var out = RawDataset(
            features: features, dimension: d, labelNames: names.names, labelCodes: codes, source: source)
        out.imageShape = imageShape
        out.columnNames = columnNames
        return out
    }

    /// The samples with labels encoded as class indices of `registry`, registering new labels
    /// in canonical form (``LabelName/canonical(_:)``).
    ///
    /// The registry is only changed when this returns; validation failures leave it untouched.
    /// - Parameter expectedDimension: the model's fixed input dimension, if already known.
    /// - Throws: ``DatasetError`` from ``Dataset/validate(expectedDimension:)``.
    public func encoded(into registry: inout LabelRegistry, expectedDimension: Int? = nil) throws -> Dataset {
        try Dataset.validateShape(
            featureCount: features.count, dimension: dimension, count: count,
            labelCount: labelCodes.count, source: source, expectedDimension: expectedDimension)
        try Dataset.checkFinite(features, dimension: dimension, source: source)
        var updated = registry
        // A name the model already knows as written keeps its class (a model may predate
        // ``LabelName/canonical(_:)``); a new one is registered in its canonical form.
        let map = labelNames.map { updated.index(of: $0) ?? updated.index(registering: LabelName.canonical($0)) }
        let labels = labelCodes.map { map[Int($0)] }
        registry = updated
        return Dataset(unchecked: features, dimension: dimension, labels: labels, source: source)
    }
}

/// Interns label names into first-seen codes while a reader runs.
struct LabelTable {
    private(set) var names: [String] = []
    private var codes: [String: Int32] = [:]

    /// The code of `name`, added when new; a new name is first checked against the caps on
    /// label length and distinct labels.
    /// - Throws: ``ReaderLimitError/labelTooLong(file:at:length:limit:)`` or
    ///   ``ReaderLimitError/tooManyClasses(file:at:limit:)``, naming `place` in `file`.
    mutating func code(
        for name: String, limits: ReaderLimits, file: String, at place: ReaderLimitError.Place
    ) throws -> Int32 {
        if let code = codes[name] { return code }
        try limits.checkLabel(name, file: file, at: place)
        try limits.checkClasses(names.count + 1, file: file, at: place)
        return code(for: name)
    }

    /// The code of `name`, added when new.
    mutating func code(for name: String) -> Int32 {
        if let code = codes[name] { return code }
        let code = Int32(names.count)
        names.append(name)
        codes[name] = code
        return code
    }
}
