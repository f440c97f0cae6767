import GroveNumerics

/// A defect in a CSV dataset file. Lines are 1-based and count the header as line 1.
public enum CSVError: GroveError, Equatable {
    /// The header has no `label` column.
    case missingLabelColumn(file: String)
    /// The header has a `label` column and nothing else.
    case noFeatureColumns(file: String)
    /// Two header columns have the same name.
    case duplicateColumn(file: String, column: String)
    /// A row has more or fewer cells than the header.
    case wrongColumnCount(file: String, line: Int, expected: Int, actual: Int)
    /// A feature cell does not parse as a number.
    case notANumber(file: String, line: Int, column: String, text: String)
    /// A feature cell is NaN or infinite.
    case nonFinite(file: String, line: Int, column: String, text: String)
    /// A row's label cell is empty.
    case missingLabel(file: String, line: Int)
    /// A quoted cell is not closed on its line.
    case unterminatedQuote(file: String, line: Int)

    /// The one-line message printed after `error: `; line breaks in text from a file are escaped.
    public var description: String { message.escapingLineBreaks }

    private var message: String {
        switch self {
        case .missingLabelColumn(let file):
            "\(file):1: no 'label' column in the header"
        case .noFeatureColumns(let file):
            "\(file):1: no feature columns besides 'label'"
        case .duplicateColumn(let file, let column):
            "\(file):1: column '\(column)' appears twice"
        case .wrongColumnCount(let file, let line, let expected, let actual):
            "\(file):\(line): \(actual) columns, but the header has \(expected)"
        case .notANumber(let file, let line, let column, let text):
            "\(file):\(line): column '\(column)': '\(text)' is not a number"
        case .nonFinite(let file, let line, let column, let text):
            "\(file):\(line): column '\(column)': '\(text)' is not finite"
        case .missingLabel(let file, let line):
            "\(file):\(line): empty label"
        case .unterminatedQuote(let file, let line):
            "\(file):\(line): unterminated quoted cell"
        }
    }
}
