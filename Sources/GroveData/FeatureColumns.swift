/// A file's named feature columns (a CSV header) matched to the names of a model's features.
///
/// A model whose first dataset was a CSV has its features named by that file's header. A later
/// CSV must name the same features: its columns are taken by name, in whatever order it has
/// them, so a file exported with its columns shuffled gives the same samples as the original.
/// A file with a column the model does not know is refused, and one with another number of
/// columns fails the dimension check. Files without names (IDX, NPY, JSONL) and models without names are matched by
/// position.
enum FeatureColumns {
    /// For each of `expected`, its position in `names`; `nil` when they are already in order or
    /// their counts differ (the dimension check reports that, with how to start another model).
    /// Names are distinct, as the CSV reader makes sure, so with equal counts a name of
    /// `expected` can only be absent when one of `names` is unknown.
    /// - Throws: ``DatasetError/unknownFeatureColumn(file:column:)`` for the first of `names`
    ///   that is not expected.
    static func order(of names: [String], toMatch expected: [String], file: String) throws -> [Int]? {
        guard names != expected, names.count == expected.count else { return nil }
        let known = Set(expected)
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw DatasetError.unknownFeatureColumn(file: file, column: unknown)
        }
        let position = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        return expected.compactMap { position[$0] }
    }

    /// Row-major `features` of `dimension` columns with column `j` of the result taken from
    /// column `order[j]`.
    static func rearranged(_ features: [Float], dimension: Int, order: [Int]) -> [Float] {
        [Float](unsafeUninitializedCapacity: features.count) { out, initialized in
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

extension RawDataset {
    /// The samples with their named columns in the order of `expected`, the model's feature
    /// names (`nil`: the model has none, and the samples are returned as they are).
    /// - Throws: ``DatasetError`` naming a column that is missing or unknown to the model.
    public func arranged(as expected: [String]?) throws -> RawDataset {
        guard let expected, let names = columnNames,
              let order = try FeatureColumns.order(of: names, toMatch: expected, file: source)
        else { return self }
        var out = self
        out.features = FeatureColumns.rearranged(features, dimension: dimension, order: order)
        out.columnNames = expected
        return out
    }
}

extension FeatureRows {
    /// The rows with their named columns in the order of `expected`; see
    /// ``RawDataset/arranged(as:)``.
    /// - Throws: ``DatasetError`` naming a column that is missing or unknown to the model.
    public func arranged(as expected: [String]?) throws -> FeatureRows {
        guard let expected, let names = columnNames,
              let order = try FeatureColumns.order(of: names, toMatch: expected, file: source)
        else { return self }
        var out = self
        out.features = FeatureColumns.rearranged(features, dimension: dimension, order: order)
        out.columnNames = expected
        return out
    }
}
