import GroveNumerics

/// The non-zero entries of each row of a small batch: per row, the indices of the features that
/// are not zero and their values.
///
/// Filled once per batch and shared by every expert the rows go to.
final class SparseRows {
    /// Batches up to this many rows take the sparse path; larger ones share each expert's
    /// weights across rows through one GEMM, which reads them once for all rows.
    static let maxRows = 4

    let features: Int
    private let indexStorage: IndexBuffer
    private let valueStorage: FloatBuffer
    /// Entries of each row of the current batch.
    private(set) var counts: [Int]

    init(features: Int) {
        self.features = features
        indexStorage = IndexBuffer(capacity: SparseRows.maxRows * features)
        valueStorage = FloatBuffer(capacity: SparseRows.maxRows * features)
        counts = [Int](repeating: 0, count: SparseRows.maxRows)
    }

    /// Collects the entries of `rows` (at most `maxRows`) inputs `x` `(rows, features)`.
    func fill(x: UnsafePointer<Float>, rows: Int) {
        precondition(rows <= SparseRows.maxRows, "SparseRows: \(rows) rows exceed \(SparseRows.maxRows)")
        for r in 0..<rows {
            counts[r] = Kernels.entries(of: x + r * features, count: features, differingFrom: 0,
                                        indices: indices(ofRow: r), values: values(ofRow: r))
        }
    }

    func indices(ofRow r: Int) -> UnsafeMutablePointer<Int32> { indexStorage.pointer + r * features }
    func values(ofRow r: Int) -> UnsafeMutablePointer<Float> { valueStorage.pointer + r * features }
}
