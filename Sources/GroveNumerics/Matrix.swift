/// A dense, row-major `Float` matrix over one contiguous buffer.
///
/// Element `(r, c)` lives at `storage[r * cols + c]`. The type has value semantics (copy on
/// write through `Array`); hot code reaches the storage with `withUnsafeBufferPointer` /
/// `withUnsafeMutableBufferPointer` and never indexes element by element through `subscript`.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public let cols: Int
    /// The `rows * cols` elements, row after row.
    public var storage: [Float]

    /// A `rows x cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.storage = [Float](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major elements.
    /// - Precondition: `storage.count == rows * cols`.
    public init(rows: Int, cols: Int, storage: [Float]) {
        precondition(storage.count == rows * cols, "Matrix storage has \(storage.count) elements, expected \(rows * cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A matrix with entries drawn from N(0, std²), reproducible from `rng`.
    public static func gaussian(rows: Int, cols: Int, std: Float, rng: inout SeededRNG) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for i in 0..<m.storage.count { m.storage[i] = rng.nextGaussian() * std }
        return m
    }

    /// Element `(row, col)`; for tests and small work, not for hot loops.
    public subscript(row: Int, col: Int) -> Float {
        get { storage[row * cols + col] }
        set { storage[row * cols + col] = newValue }
    }

    /// The elements of one row.
    public func row(_ r: Int) -> ArraySlice<Float> {
        storage[(r * cols)..<((r + 1) * cols)]
    }

    /// Appends one row at the bottom.
    /// - Precondition: `values.count == cols`.
    public mutating func appendRow(_ values: some Collection<Float>) {
        precondition(values.count == cols, "Row has \(values.count) values, expected \(cols)")
        storage.append(contentsOf: values)
        rows += 1
    }
}
