/// The size of the images a file holds (IDX files and 3-D NPY arrays): each sample is `rows x
/// columns` pixels, flattened row by row into `rows * columns` features.
public struct ImageShape: Sendable, Equatable {
    /// Pixel rows of each image.
    public var rows: Int
    /// Pixel columns of each image.
    public var columns: Int

    /// The shape of `rows x columns` images.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }
}
