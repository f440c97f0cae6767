/// A file's named feature columns (a CSV header) matched to the names of a model's features.
///
/// A model whose first dataset was a CSV has its features named by that file's header. A later
/// CSV must name the same features: its columns are taken by name, in whatever order it has
/// them, so a file exported with its columns shuffled gives the same samples as the original.
/// A file with a column the model does not know is refused, and one with another number of
/// columns fails the dimension check. Files without names (IDX, NPY, JSONL) and models without
/// names are matched by position.
enum FeatureColumns {
    /// For each of `expected`, its position in `names`; `nil` when they are already in order or
    /// their counts differ (the dimension check reports that, with how to start another model).
    /// Names are distinct, as the CSV reader makes sure, so with equal counts a name of
    /// `expected` can only be absent when one of `names` is unknown.
    /// - Throws: ``DatasetError/unknownFeatureColumn(file:column:)`` for the first of `names`
    ///   that is not expected.
    private static func order(of names: [String], toMatch expected: [String], file: String) throws -> [Int]? {
        guard names != expected, names.count == expected.count else { return nil }
        let known = Set(expected)
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw DatasetError.unknownFeatureColumn(file: file, column: unknown)
        }
        let position = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        return expected.compactMap { position[$0] }
    }

    /// Row-major `features` of `dimension` columns named `names`, rearranged into the order of
    /// `expected`; `nil` when there is nothing to rearrange (either has no names, they are in
    /// order already, or their counts differ).
    /// - Throws: ``DatasetError/unknownFeatureColumn(file:column:)``.
    static func arranged(
        _ features: [Float], dimension: Int, names: [String]?, as expected: [String]?, file: String
    ) throws -> [Float]? {
        guard let names, let expected, let order = try order(of: names, toMatch: expected, file: file) else { return nil }
        return [Float](unsafeUninitializedCapacity: features.count) { out, initialized in
            features.withUnsafeBufferPointer { source in
                order.withUnsafeBufferPointer { order in
                    var row = 0
                    while row < features.count {
                        for j in 0 ..< dimension { out.initializeElement(at: row + j, to: source[row + order[j]]) }
                        row += dimension
                    }
                }
            }
            initialized = features.count
        }
    }
}

/// Samples in row-major columns that a file may have named: ``RawDataset`` and ``FeatureRows``.
public protocol NamedColumns {
    /// Row-major features, `dimension` to a sample.
    var features: [Float] { get set }
    /// Number of features per sample.
    var dimension: Int { get }
    /// The features' names in column order, or `nil` when the file names none.
    var columnNames: [String]? { get set }
    /// The file the samples came from, for messages.
    var source: String { get }
}

extension NamedColumns {
    /// The samples with their named columns in the order of `expected`, the model's feature
    /// names (`nil`: the model has none, and the samples are returned as they are).
    /// - Throws: ``DatasetError`` naming a column unknown to the model.
    public func arranged(as expected: [String]?) throws -> Self {
        guard let features = try FeatureColumns.arranged(features, dimension: dimension, names: columnNames, as: expected, file: source)
        else { return self }
        var out = self
        out.features = features
        out.columnNames = expected
        return out
    }
}

extension RawDataset: NamedColumns {}

extension FeatureRows: NamedColumns {}
