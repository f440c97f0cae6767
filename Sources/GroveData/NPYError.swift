import GroveNumerics

/// A defect in a NumPy `.npy` file (format versions 1-3).
///
/// Each `description` is one line naming the file.
public enum NPYError: GroveError, Equatable {
    /// The file does not start with `\x93NUMPY`.
    case badMagic(file: String)
    /// The header dictionary is malformed or misses a field, or its shape cannot be addressed.
    case badHeader(file: String, reason: String)
    /// The element type is not supported for this file's role; `supported` lists what is.
    case unsupportedDType(file: String, dtype: String, supported: String)
    /// The array's rank does not fit the file's role.
    case wrongRank(file: String, shape: [Int], expected: String)
    /// Fewer data bytes follow the header than the shape declares.
    case truncated(file: String, record: Int, records: Int, expectedBytes: Int, actualBytes: Int)

    /// The one-line message printed after `error: `; line breaks in text from a file are escaped.
    public var description: String { message.escapingLineBreaks }

    private var message: String {
        switch self {
        case .badMagic(let file):
            "\(file): not an NPY file (no \\x93NUMPY magic)"
        case .badHeader(let file, let reason):
            "\(file): bad NPY header: \(reason)"
        case .unsupportedDType(let file, let dtype, let supported):
            "\(file): unsupported dtype '\(dtype)'\(NPYDType.name(dtype).map { " (\($0))" } ?? ""); supported: \(supported)"
        case .wrongRank(let file, let shape, let expected):
            "\(file): array of shape \(shape), expected \(expected)"
        case .truncated(let file, let record, let records, let expectedBytes, let actualBytes):
            "\(file): truncated at record \(record) of \(records) (header declares \(expectedBytes) data bytes, \(actualBytes) present)"
        }
    }
}
