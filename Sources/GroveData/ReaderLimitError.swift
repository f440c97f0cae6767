import GroveNumerics

/// A file beyond one of the caps of ``ReaderLimits``.
///
/// Each `description` is one line naming the file (and the line or record where it applies),
/// the cap, and the `grove` flag that raises it:
/// `big.csv:10000002: more than 10000000 rows; raise the cap with --max-rows`.
public enum ReaderLimitError: GroveError, Equatable {
    /// Where in a file a cap was passed.
    public enum Place: Sendable, Equatable {
        /// A 1-based line of a text file.
        case line(Int)
        /// A 1-based record (sample) of a binary file.
        case record(Int)
        /// A binary file's header, which declares `declared` of what is capped.
        case header(declared: Int)
    }

    /// The file is larger than ``ReaderLimits/maxFileBytes``.
    case fileTooLarge(file: String, bytes: Int, limit: Int)
    /// Gzip data inflates to more than ``ReaderLimits/maxDecompressedBytes``.
    case decompressedTooLarge(file: String, limit: Int)
    /// More samples than ``ReaderLimits/maxRows``.
    case tooManyRows(file: String, at: Place, limit: Int)
    /// More features per sample than ``ReaderLimits/maxFeatures``.
    case tooManyFeatures(file: String, at: Place, limit: Int)
    /// More distinct labels than ``ReaderLimits/maxClasses``.
    case tooManyClasses(file: String, at: Place, limit: Int)
    /// A label longer than ``ReaderLimits/maxLabelLength`` UTF-8 bytes.
    case labelTooLong(file: String, at: Place, length: Int, limit: Int)

    /// The one-line message printed after `error: `; line breaks in text from a file are escaped.
    public var description: String { message.escapingLineBreaks }

    private var message: String {
        switch self {
        case .fileTooLarge(let file, let bytes, let limit):
            "\(file): \(bytes) bytes, more than the cap of \(limit) bytes; raise it with --max-file-bytes"
        case .decompressedTooLarge(let file, let limit):
            "\(file): more than \(limit) bytes after gzip decompression; raise the cap with --max-decompressed-bytes"
        case .tooManyRows(let file, let place, let limit):
            "\(Self.more(file, place)) \(limit) rows; raise the cap with --max-rows"
        case .tooManyFeatures(let file, let place, let limit):
            "\(Self.more(file, place)) \(limit) features per sample; raise the cap with --max-features"
        case .tooManyClasses(let file, let place, let limit):
            "\(Self.more(file, place)) \(limit) distinct labels; raise the cap with --max-classes"
        case .labelTooLong(let file, let place, let length, let limit):
            "\(Self.located(file, place)): label of \(length) bytes, longer than the cap of \(limit); raise it with --max-label-length"
        }
    }

    /// `a.csv:12: more than`, `y: record 3: more than` or `x: header declares 9, more than`.
    private static func more(_ file: String, _ place: Place) -> String {
        if case .header(let declared) = place { return "\(file): header declares \(declared), more than" }
        return "\(located(file, place)): more than"
    }

    /// `a.csv:12`, `y: record 3` or `x: header`.
    private static func located(_ file: String, _ place: Place) -> String {
        switch place {
        case .line(let line): "\(file):\(line)"
        case .record(let record): "\(file): record \(record)"
        case .header: "\(file): header"
        }
    }
}
