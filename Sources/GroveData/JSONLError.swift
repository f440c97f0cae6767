import GroveNumerics

/// A defect in a JSONL dataset file (one `{"x": [...], "y": label}` object per line).
/// Lines are 1-based.
public enum JSONLError: GroveError, Equatable {
    /// The line is not valid JSON of the expected shape.
    case badJSON(file: String, line: Int, reason: String)
    /// The object has no `x` or no `y` field.
    case missingField(file: String, line: Int, field: String)
    /// `x` has a different length than earlier lines' (or is empty).
    case wrongDimension(file: String, line: Int, expected: Int, actual: Int)
    /// An element of `x` is NaN or infinite (`index` is 0-based).
    case nonFinite(file: String, line: Int, index: Int)
    /// `y` is neither an integer nor a non-empty string.
    case badLabel(file: String, line: Int, text: String)

    /// The one-line message printed after `error: `; line breaks in text from a file are escaped.
    public var description: String { message.escapingLineBreaks }

    private var message: String {
        switch self {
        case .badJSON(let file, let line, let reason):
            "\(file):\(line): bad JSON: \(reason)"
        case .missingField(let file, let line, let field):
            "\(file):\(line): missing field '\(field)'"
        case .wrongDimension(let file, let line, let expected, let actual):
            "\(file):\(line): field 'x' has \(actual) values, expected \(expected)"
        case .nonFinite(let file, let line, let index):
            "\(file):\(line): field 'x' value \(index) is not finite"
        case .badLabel(let file, let line, let text):
            "\(file):\(line): field 'y' must be an integer or a non-empty string, got \(text)"
        }
    }
}
