/// Reads IDX image and label files (the MNIST format), gzip-compressed or raw.
///
/// An IDX file is a big-endian header `00 00 <dtype> <rank>`, `rank` 32-bit dimensions, then the
/// data in C order (LeCun et al., "The MNIST database"). Images must be unsigned bytes of rank 3
/// (`count x rows x columns`, flattened to `rows * columns` features) or rank 2; labels rank 1.
/// Pixels are scaled to [0, 1] as `byte / 255`; labels become names `"0"`...`"255"`.
///
/// Gzip is detected by the magic bytes `1f 8b`, whatever the file is called. The 26 MB
/// Fashion-MNIST training set is inflated in one pass into a preallocated buffer and converted
/// with a vectorised loop over unsafe buffer pointers.
///
/// ```swift
/// let raw = try IDXReader.read(images: "train-images-idx3-ubyte.gz",
///                              labels: "train-labels-idx1-ubyte.gz")
/// // raw.count == 60000, raw.dimension == 784
/// ```
public enum IDXReader {
    /// Reads an images file and its labels file.
    /// - Throws: ``IDXError`` for a bad magic, element type, rank, header, truncation or a count
    ///   mismatch; ``DatasetError`` for unreadable, empty or corrupt gzip files.
    public static func read(images imagesPath: String, labels labelsPath: String) throws -> RawDataset {
        let imagesName = FileBytes.displayName(imagesPath)
        let labelsName = FileBytes.displayName(labelsPath)
        let imageBytes = try FileBytes.read(imagesPath)
        let image = try parseHeader(imageBytes, file: imagesName, ranks: [2, 3], expected: "2 or 3 (count x rows x columns)")
        let labelBytes = try FileBytes.read(labelsPath)
        let label = try parseHeader(labelBytes, file: labelsName, ranks: [1], expected: "1 (count)")
        guard image.dims[0] == label.dims[0] else {
            throw IDXError.countMismatch(
                imagesFile: imagesName, images: image.dims[0], labelsFile: labelsName, labels: label.dims[0])
        }
        let count = image.dims[0]
        let dimension = image.dims.dropFirst().reduce(1, *)
        let features = scaledPixels(imageBytes, offset: image.dataOffset, count: count * dimension)

        let names = (0 ... 255).map { String($0) }
        var seen = [Int32](repeating: -1, count: 256)
        var labelNames: [String] = []
        let codes = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            labelBytes.withUnsafeBufferPointer { src in
                for i in 0 ..< count {
                    let value = Int(src[label.dataOffset + i])
                    if seen[value] < 0 {
                        seen[value] = Int32(labelNames.count)
                        labelNames.append(names[value])
                    }
                    buffer.initializeElement(at: i, to: seen[value])
                }
            }
            initialized = count
        }
        var raw = RawDataset(
            features: features, dimension: dimension, labelNames: labelNames, labelCodes: codes,
            source: imagesName)
        if image.dims.count == 3 { raw.imageShape = (image.dims[1], image.dims[2]) }
        return raw
    }

    /// A parsed header: the dimensions and where the data starts.
    struct Header {
        var dims: [Int]
        var dataOffset: Int
    }

    /// Parses and checks the header, and that the data that follows is complete.
    static func parseHeader(_ bytes: [UInt8], file: String, ranks: Set<Int>, expected: String) throws -> Header {
        guard bytes.count >= 4 else {
            throw IDXError.badHeader(file: file, reason: "\(bytes.count) bytes, shorter than the 4-byte magic")
        }
        let magic = readBigEndian(bytes, at: 0)
        guard bytes[0] == 0, bytes[1] == 0, bytes[3] >= 1, bytes[3] <= 4,
              [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E].contains(bytes[2])
        else { throw IDXError.badMagic(file: file, magic: magic) }
        guard bytes[2] == 0x08 else { throw IDXError.unsupportedDType(file: file, code: bytes[2]) }
        let rank = Int(bytes[3])
        guard ranks.contains(rank) else { throw IDXError.wrongRank(file: file, rank: rank, expected: expected) }
        let dataOffset = 4 + 4 * rank
        guard bytes.count >= dataOffset else {
            throw IDXError.badHeader(
                file: file, reason: "\(bytes.count) bytes, shorter than the \(dataOffset)-byte header of a rank-\(rank) array")
        }
        let dims = (0 ..< rank).map { Int(readBigEndian(bytes, at: 4 + 4 * $0)) }
        guard dims.allSatisfy({ $0 > 0 }) else {
            throw IDXError.badHeader(file: file, reason: "dimensions \(dims) include 0")
        }
        let recordSize = dims.dropFirst().reduce(1, *)
        let (total, overflow) = dims[0].multipliedReportingOverflow(by: recordSize)
        guard !overflow else { throw IDXError.badHeader(file: file, reason: "dimensions \(dims) are too large") }
        let available = bytes.count - dataOffset
        guard available >= total else {
            throw IDXError.truncated(
                file: file, record: available / recordSize + 1, records: dims[0],
                expectedBytes: total, actualBytes: available)
        }
        return Header(dims: dims, dataOffset: dataOffset)
    }

    /// `bytes[offset ..< offset + count]` as Floats `byte / 255` (exact division; the loop
    /// vectorises, and its cost is mostly first-touch page faults of the output buffer).
    static func scaledPixels(_ bytes: [UInt8], offset: Int, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBufferPointer { src in
                guard let out = buffer.baseAddress, let input = src.baseAddress else { return }
                let base = input + offset
                for i in 0 ..< count { (out + i).initialize(to: Float(base[i]) / 255) }
            }
            initialized = count
        }
    }

    private static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
