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
    ///   a count mismatch; ``ReaderLimitError`` for a file beyond `limits`; ``DatasetError`` for
    ///   unreadable, empty or corrupt gzip files and for a NaN, infinite or out-of-range value.
    public static func read(
        images imagesPath: String, labels labelsPath: String, limits: ReaderLimits = .standard
    ) throws -> RawDataset {
        let images = try readImages(path: imagesPath, limits: limits)
        let labelsName = FileBytes.displayName(labelsPath)
        let stored = try FileBytes.readRaw(labelsPath, name: labelsName, maxBytes: limits.maxFileBytes)
        let labels = try readLabels(bytes: stored, name: labelsName, limits: limits)
        guard images.count == labels.codes.count else {
            throw IDXError.countMismatch(
                imagesFile: images.source, images: images.count, labelsFile: labelsName, labels: labels.codes.count)
        }
        return RawDataset(images, labelNames: labels.names, labelCodes: labels.codes)
    }

    /// Reads an images file alone (for predictions, which need no labels).
    /// - Throws: as ``read(images:labels:limits:)`` does for the images file.
    public static func readImages(path: String, limits: ReaderLimits = .standard) throws -> FeatureRows {
        let name = FileBytes.displayName(path)
        return try images(FileBytes.read(path, limits: limits), file: name, limits: limits)
    }

    /// Reads an images file's contents as stored (gzip is detected); `name` names it in messages.
    /// - Throws: as ``readImages(path:limits:)``.
    public static func readImages(bytes: [UInt8], name: String, limits: ReaderLimits = .standard) throws -> FeatureRows {
        try images(FileBytes.decode(bytes, name: name, limits: limits), file: name, limits: limits)
    }

    /// Reads a labels file's contents as stored (gzip is detected): a rank-1 IDX array of an
    /// integer type, as label names (`"3"`, `"-1"`) in first-seen order and one code per record.
    /// - Throws: ``IDXError``, ``ReaderLimitError`` or ``DatasetError`` for this file.
    public static func readLabels(
        bytes: [UInt8], name: String, limits: ReaderLimits = .standard
    ) throws -> (names: [String], codes: [Int32]) {
        let bytes = try FileBytes.decode(bytes, name: name, limits: limits)
        let header = try IDXHeader(bytes, file: name, ranks: [1], expected: "1 (count)", limits: limits)
        guard header.element.isInteger else { throw IDXError.nonIntegerLabels(file: name, code: header.typeCode) }
        return try NumericDecoding.labels(
            bytes, offset: header.dataOffset, count: header.count, element: header.element, file: name, limits: limits)
    }

    /// Decodes inflated image bytes.
    private static func images(_ bytes: [UInt8], file: String, limits: ReaderLimits) throws -> FeatureRows {
        let image = try IDXHeader(bytes, file: file, ranks: [2, 3], expected: "2 or 3 (count x rows x columns)", limits: limits)
        let features = NumericDecoding.floats(
            bytes, offset: image.dataOffset, count: image.elementCount, element: image.element)
        try NumericDecoding.checkFinite(
            features, dimension: image.recordLength, file: file, bytes: bytes,
            offset: image.dataOffset, element: image.element)
        var rows = FeatureRows(features: features, dimension: image.recordLength, count: image.count, source: file)
        if image.dims.count == 3 { rows.imageShape = ImageShape(rows: image.dims[1], columns: image.dims[2]) }
        return rows
    }
}
