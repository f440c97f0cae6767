/// Reads NumPy `.npy` features plus a labels file.
///
/// Features: any numeric dtype, `float16`/`float32`/`float64` (`f2 f4 f8`), signed and unsigned
/// integers of 1 to 8 bytes (`i1`...`i8`, `u1`...`u8`) or `bool` (`b1`, read as 0 and 1), in
/// either byte order, so arrays saved with `np.save` need no conversion. Values are taken as
/// written, each as the nearest `Float`, with no rescaling: `uint8` pixels read as 0...255,
/// exactly as from CSV, JSONL or IDX. NaN, infinities and `float64` values beyond the `float32`
/// range are rejected, naming the record. Arrays are 2-D `(count, dimension)` or 3-D images
/// `(count, rows, columns)` flattened, in C order or Fortran order (transposed while reading).
/// Labels: a 1-D integer or bool `.npy` array, or a text file with one label per line (see
/// ``LabelsFile``). Files may be gzip-compressed.
///
/// Follows the format description in `numpy/lib/format.py` (versions 1.0, 2.0 and 3.0).
public enum NPYReader {
    /// Reads the features file at `path` and the labels file at `labelsPath`.
    /// - Throws: ``NPYError`` for a bad magic or header, an unsupported dtype, a wrong rank,
    ///   a shape too large to address or truncated data; ``ReaderLimitError`` for a file beyond
    ///   `limits`; ``DatasetError`` for a NaN, infinite or out-of-range value and, as
    ///   ``DatasetError/labelCountMismatch(file:labelsFile:samples:labels:)``, when the labels
    ///   file has another length.
    public static func read(path: String, labels labelsPath: String, limits: ReaderLimits = .standard) throws -> RawDataset {
        let rows = try readFeatures(path: path, limits: limits)
        let labels = try LabelsFile.read(path: labelsPath, limits: limits)
        guard labels.codes.count == rows.count else {
            throw DatasetError.labelCountMismatch(
                file: rows.source, labelsFile: FileBytes.displayName(labelsPath), samples: rows.count, labels: labels.codes.count)
        }
        return RawDataset(rows, labelNames: labels.names, labelCodes: labels.codes)
    }

    /// Reads the features file at `path` alone (for predictions, which need no labels).
    /// - Throws: as ``read(path:labels:limits:)`` does for the features file.
    public static func readFeatures(path: String, limits: ReaderLimits = .standard) throws -> FeatureRows {
        let file = FileBytes.displayName(path)
        return try features(FileBytes.read(path, limits: limits), file: file, limits: limits)
    }

    /// Reads a features file's contents as stored (gzip is detected); `name` names it in messages.
    /// - Throws: as ``readFeatures(path:limits:)``.
    public static func readFeatures(bytes: [UInt8], name: String, limits: ReaderLimits = .standard) throws -> FeatureRows {
        try features(FileBytes.decode(bytes, name: name, limits: limits), file: name, limits: limits)
    }

    /// Decodes inflated features bytes.
    private static func features(_ bytes: [UInt8], file: String, limits: ReaderLimits) throws -> FeatureRows {
        let header = try NPYHeader(bytes, file: file)
        guard let element = NPYDType.element(header.dtype) else {
            throw NPYError.unsupportedDType(file: file, dtype: header.dtype, supported: NPYDType.supportedFeatures)
        }
        guard header.shape.count == 2 || header.shape.count == 3 else {
            throw NPYError.wrongRank(file: file, shape: header.shape, expected: "2-D (count, dimension) or 3-D (count, rows, columns)")
        }
        let layout = try header.checkData(bytes, elementWidth: element.width, file: file, limits: limits)
        let count = header.shape[0]
        var features = NumericDecoding.floats(bytes, offset: header.dataOffset, count: layout.elementCount, element: element)
        if header.fortranOrder { features = FortranOrder.rowMajor(features, shape: header.shape) }
        try NumericDecoding.checkFinite(
            features, dimension: layout.recordLength, file: file, bytes: bytes, offset: header.dataOffset,
            element: element
        ) { index in
            guard header.fortranOrder else { return index }
            let record = index / layout.recordLength
            let feature = FortranOrder.elementIndex(ofFeature: index % layout.recordLength, shape: header.shape)
            return record + count * feature
        }
        var rows = FeatureRows(features: features, dimension: layout.recordLength, count: count, source: file)
        if header.shape.count == 3 { rows.imageShape = ImageShape(rows: header.shape[1], columns: header.shape[2]) }
        return rows
    }

    /// Reads a 1-D `.npy` labels array (inflated) of integers, booleans or whole-number floats
    /// into names (`"3"`, `"-1"`; `"0"` and `"1"` for booleans; `"3"` for `3.0`) and codes.
    static func readLabels(_ bytes: [UInt8], file: String, limits: ReaderLimits) throws -> (names: [String], codes: [Int32]) {
        let header = try NPYHeader(bytes, file: file)
        guard let element = NPYDType.element(header.dtype) else {
            throw NPYError.unsupportedDType(file: file, dtype: header.dtype, supported: NPYDType.supportedLabels)
        }
        guard header.shape.count == 1 else {
            throw NPYError.wrongRank(file: file, shape: header.shape, expected: "1-D (count)")
        }
        let layout = try header.checkData(bytes, elementWidth: element.width, file: file, limits: limits)
        return try NumericDecoding.labels(
            bytes, offset: header.dataOffset, count: layout.elementCount, element: element, file: file, limits: limits)
    }
}

/// Column-major (Fortran-order) arrays of shape `(count, dimension)` or `(count, rows, columns)`.
///
/// Element `(n, i, j)` of such an array is stored at `n + count · (i + rows · j)`; its C-order
/// (row-major) place is `n · rows · columns + i · columns + j`.
enum FortranOrder {
    /// Where, within the Fortran-order elements of one record (stride `count`), the C-order
    /// feature `feature` is stored.
    static func elementIndex(ofFeature feature: Int, shape: [Int]) -> Int {
        guard shape.count == 3 else { return feature }
        let rows = shape[1], columns = shape[2]
        return feature / columns + rows * (feature % columns)
    }

    /// The Fortran-order `values` of an array of `shape`, in C order.
    static func rowMajor(_ values: [Float], shape: [Int]) -> [Float] {
        let count = shape[0]
        let dimension = values.count / count
        return [Float](unsafeUninitializedCapacity: values.count) { out, initialized in
            values.withUnsafeBufferPointer { source in
                for feature in 0 ..< dimension {
                    let column = elementIndex(ofFeature: feature, shape: shape) * count
                    for record in 0 ..< count {
                        out.initializeElement(at: record * dimension + feature, to: source[column + record])
                    }
                }
            }
            initialized = values.count
        }
    }
}
