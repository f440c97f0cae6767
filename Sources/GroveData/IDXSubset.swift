import GroveNumerics

/// A seeded subset of an IDX images file and its labels file, as uncompressed IDX bytes with
/// the files' own element types: the few thousand images a long benchmark stream reads again
/// and again, each domain with its own pixel permutation.
///
/// ```swift
/// let subset = try IDXSubset.select(images: "train-images-idx3-ubyte.gz",
///                                   labels: "train-labels-idx1-ubyte.gz", count: 6000, seed: 0)
/// // subset.images and subset.labels are complete IDX files of 6000 records
/// ```
public struct IDXSubset: Sendable {
    /// The chosen records' images file: the source header with the record count replaced.
    public var images: [UInt8]
    /// The chosen records' labels file.
    public var labels: [UInt8]
    /// Records chosen: `count`, or every record when the files hold fewer.
    public var count: Int

    /// Chooses `count` records without replacement with a seeded Fisher–Yates shuffle and keeps
    /// them in file order. Gzip files are inflated (magic bytes `1f 8b`).
    /// - Throws: as ``IDXReader/read(images:labels:limits:)`` for either file, including
    ///   ``IDXError/countMismatch(imagesFile:images:labelsFile:labels:)``.
    public static func select(
        images imagesPath: String, labels labelsPath: String, count: Int, seed: UInt64,
        limits: ReaderLimits = .standard
    ) throws -> IDXSubset {
        let imagesName = FileBytes.displayName(imagesPath), labelsName = FileBytes.displayName(labelsPath)
        let imageBytes = try FileBytes.read(imagesPath, limits: limits)
        let imageHeader = try IDXHeader(
            imageBytes, file: imagesName, ranks: [2, 3], expected: "2 or 3 (count x rows x columns)", limits: limits)
        let labelBytes = try FileBytes.read(labelsPath, limits: limits)
        let labelHeader = try IDXHeader(labelBytes, file: labelsName, ranks: [1], expected: "1 (count)", limits: limits)
        guard imageHeader.count == labelHeader.count else {
            throw IDXError.countMismatch(
                imagesFile: imagesName, images: imageHeader.count, labelsFile: labelsName, labels: labelHeader.count)
        }
        var indices = Array(0 ..< imageHeader.count)
        var rng = SeededRNG(seed: seed)
        PixelPermutation.shuffle(&indices, using: &rng)
        let chosen = indices.prefix(max(0, count)).sorted()
        return IDXSubset(
            images: records(chosen, of: imageBytes, header: imageHeader),
            labels: records(chosen, of: labelBytes, header: labelHeader),
            count: chosen.count)
    }

    /// An IDX file of the records at `rows` of `bytes`.
    private static func records(_ rows: [Int], of bytes: [UInt8], header: IDXHeader) -> [UInt8] {
        let recordBytes = header.recordLength * header.element.width
        var out = Array(bytes[0 ..< 4])
        out.reserveCapacity(header.dataOffset + rows.count * recordBytes)
        for (i, dimension) in header.dims.enumerated() {
            let value = UInt32(i == 0 ? rows.count : dimension)
            out += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        }
        for row in rows {
            let start = header.dataOffset + row * recordBytes
            out += bytes[start ..< start + recordBytes]
        }
        return out
    }
}
