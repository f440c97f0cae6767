/// Caps on what a dataset reader accepts, so that no file can exhaust memory or time.
///
/// Every reader (``DatasetLoader``, ``CSVReader``, ``JSONLReader``, ``IDXReader``,
/// ``NPYReader``, ``LabelsFile``, ``JobManifest`` materialisation) takes one; the defaults
/// (``standard``) let real datasets through with room to spare: Fashion-MNIST's 60 000 × 784
/// training set, as IDX, NPY, CSV or JSONL, gzip-compressed or not, is far below every cap.
/// An operator raises a cap with the `grove` flag named in the error (`--max-rows N`, ...).
///
/// A violation throws ``ReaderLimitError``, one line naming the file, the line or record where
/// it applies, the cap and the flag that raises it.
///
/// ```swift
/// let limits = ReaderLimits(maxRows: 100_000)
/// let raw = try CSVReader.read(path: "big.csv", limits: limits)
/// ```
public struct ReaderLimits: Sendable, Equatable, Codable {
    /// Largest file accepted, in bytes as stored (compressed, for gzip files). Default 4 GiB:
    /// 85 times Fashion-MNIST's 47 MB of uncompressed training images. The whole file is read
    /// into memory, so this bounds the first allocation.
    public let maxFileBytes: Int
    /// Largest gzip output accepted, in bytes. Default 8 GiB: ten million 784-byte images
    /// (``maxRows`` of Fashion-MNIST-sized IDX) fit; a gzip bomb (deflate reaches about
    /// 1000:1) stops here instead of exhausting memory. A plain file is bounded by
    /// ``maxFileBytes`` alone.
    public let maxDecompressedBytes: Int
    /// Most samples (data rows, records, label lines) in one file. Default 10 000 000: 166
    /// times Fashion-MNIST's training set, and the row count of the largest MNIST variants.
    public let maxRows: Int
    /// Most features per sample. Default 100 000: 784 for Fashion-MNIST, 3 072 for CIFAR,
    /// greyscale images up to 316 × 316; a first layer wider than that is not what Grove is for.
    public let maxFeatures: Int
    /// Most distinct labels in one file. Default 10 000: ten for Fashion-MNIST, a thousand for
    /// ImageNet-1k; a file with more is almost surely a column of values, not of labels.
    public let maxClasses: Int
    /// Longest label name, in UTF-8 bytes. Default 256: room for any class name, while a text
    /// file named as labels (each line a class) cannot pass long lines back as class names.
    public let maxLabelLength: Int

    /// The default caps, described on each property.
    public static let standard = ReaderLimits()

    /// Caps for files of untrusted origin; each argument defaults to the cap in ``standard``.
    /// Each value is clamped to 1...2^62 (nothing is read through a zero cap, and a cap plus one
    /// cannot overflow), and `maxClasses` to 1...2^31 - 1 (label codes are 32-bit).
    public init(
        maxFileBytes: Int = 4 << 30, maxDecompressedBytes: Int = 8 << 30, maxRows: Int = 10_000_000,
        maxFeatures: Int = 100_000, maxClasses: Int = 10_000, maxLabelLength: Int = 256
    ) {
        func clamped(_ value: Int) -> Int { min(max(1, value), 1 << 62) }
        self.maxFileBytes = clamped(maxFileBytes)
        self.maxDecompressedBytes = clamped(maxDecompressedBytes)
        self.maxRows = clamped(maxRows)
        self.maxFeatures = clamped(maxFeatures)
        self.maxClasses = min(clamped(maxClasses), Int(Int32.max))
        self.maxLabelLength = clamped(maxLabelLength)
    }

    /// Throws unless `rows` samples are within ``maxRows``.
    func checkRows(_ rows: Int, file: String, at place: ReaderLimitError.Place) throws {
        guard rows <= maxRows else { throw ReaderLimitError.tooManyRows(file: file, at: place, limit: maxRows) }
    }

    /// Throws unless `features` per sample are within ``maxFeatures``.
    func checkFeatures(_ features: Int, file: String, at place: ReaderLimitError.Place) throws {
        guard features <= maxFeatures else {
            throw ReaderLimitError.tooManyFeatures(file: file, at: place, limit: maxFeatures)
        }
    }

    /// Throws unless `classes` distinct labels are within ``maxClasses``.
    func checkClasses(_ classes: Int, file: String, at place: ReaderLimitError.Place) throws {
        guard classes <= maxClasses else {
            throw ReaderLimitError.tooManyClasses(file: file, at: place, limit: maxClasses)
        }
    }

    /// Throws unless `label` is within ``maxLabelLength`` bytes.
    func checkLabel(_ label: String, file: String, at place: ReaderLimitError.Place) throws {
        try checkLabel(label.utf8.count, file: file, at: place)
    }

    /// Throws unless a label of `length` bytes is within ``maxLabelLength``.
    func checkLabel(_ length: Int, file: String, at place: ReaderLimitError.Place) throws {
        guard length <= maxLabelLength else {
            throw ReaderLimitError.labelTooLong(file: file, at: place, length: length, limit: maxLabelLength)
        }
    }
}
