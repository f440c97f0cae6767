/// Reads IDX image and label files (the MNIST format), gzip-compressed or raw.
///
/// An IDX file is a big-endian header `00 00 <type> <rank>`, `rank` 32-bit dimensions, then the
/// data in C order, each element big-endian (LeCun et al., "The MNIST database"); see
/// ``IDXHeader``. Images may have any IDX element type: unsigned byte (`0x08`), signed byte
/// (`0x09`), int16 (`0x0B`), int32 (`0x0C`), float32 (`0x0D`) or float64 (`0x0E`), rank 3
/// (`count x rows x columns`, flattened to `rows * columns` features) or rank 2. Values are
/// taken as written, each as the nearest `Float`, with no rescaling: byte pixels read as
/// 0...255, exactly as the same numbers read from CSV, JSONL or NPY. NaN, infinities and
/// `float64` values beyond the `float32` range are rejected, naming the record. Labels are
/// rank 1 of an integer type (`0x08`, `0x09`, `0x0B`, `0x0C`) and become their decimal names
/// (`"3"`, `"-1"`).
///
/// Gzip is detected by the magic bytes `1f 8b`, whatever the file is called. The 26 MB
/// Fashion-MNIST training set is inflated in one pass into a preallocated buffer and converted
/// with a vectorised loop over unsafe buffer pointers.
///
/// ```swift
/// let raw = try IDXReader.read(images: "train-images-idx3-ubyte.gz",
///                              labels: "train-labels-idx1-ubyte.gz")
/// // raw.count == 60000, raw.dimension == 784, pixels 0...255
/// ```
public enum IDXReader {
    /// Reads an images file and its labels file.
    /// - Throws: ``IDXError`` for a bad magic, rank, header, truncation, non-integer labels or
    ///   a count mismatch; ``DatasetError`` for unreadable, empty or corrupt gzip files and for
    ///   a NaN, infinite or out-of-range value.
    public static func read(images imagesPath: String, labels labelsPath: String) throws -> RawDataset {
        let labelsName = FileBytes.displayName(labelsPath)
        let images = try readImages(path: imagesPath)
        let labelBytes = try FileBytes.read(labelsPath)
        let label = try IDXHeader(labelBytes, file: labelsName, ranks: [1], expected: "1 (count)")
        guard label.element.isInteger else { throw IDXError.nonIntegerLabels(file: labelsName, code: label.typeCode) }
        guard images.count == label.count else {
            throw IDXError.countMismatch(
                imagesFile: images.source, images: images.count, labelsFile: labelsName, labels: label.count)
        }
        guard let labels = NumericDecoding.labels(
            labelBytes, offset: label.dataOffset, count: label.count, element: label.element)
        else { throw IDXError.nonIntegerLabels(file: labelsName, code: label.typeCode) }
        return RawDataset(images, labelNames: labels.names, labelCodes: labels.codes)
    }

    /// Reads an images file alone (for predictions, which need no labels).
    /// - Throws: as ``read(images:labels:)`` does for the images file.
    public static func readImages(path: String) throws -> FeatureRows {
        let imagesName = FileBytes.displayName(path)
        let imageBytes = try FileBytes.read(path)
        let image = try IDXHeader(imageBytes, file: imagesName, ranks: [2, 3], expected: "2 or 3 (count x rows x columns)")
        let features = NumericDecoding.floats(
            imageBytes, offset: image.dataOffset, count: image.elementCount, element: image.element)
        try NumericDecoding.checkFinite(
            features, dimension: image.recordLength, file: imagesName, bytes: imageBytes,
            offset: image.dataOffset, element: image.element)
        var rows = FeatureRows(features: features, dimension: image.recordLength, count: image.count, source: imagesName)
        if image.dims.count == 3 { rows.imageShape = ImageShape(rows: image.dims[1], columns: image.dims[2]) }
        return rows
    }
}
