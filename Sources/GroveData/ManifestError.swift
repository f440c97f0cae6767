import GroveNumerics

/// A defect in a job manifest (`jobs/*.yaml` or `.json`, `schemas/job.schema.json`).
///
/// Each `description` is one line: the manifest file, the line when known (YAML), and the field
/// path, e.g. `split.yaml:14: domains[1].source.classes[0]: expected an integer or a string`.
public enum ManifestError: GroveError, Equatable {
    /// The manifest could not be read.
    case unreadable(file: String, reason: String)
    /// The file is larger than a manifest may be (``JobManifest/maxFileBytes`` by default).
    case tooLarge(file: String, bytes: Int, limit: Int)
    /// The text is not valid YAML or JSON.
    case syntax(file: String, line: Int?, reason: String)
    /// A required field is absent (`path` names the object that lacks it).
    case missingField(file: String, line: Int?, path: String)
    /// A field the schema does not define.
    case unknownField(file: String, line: Int?, path: String)
    /// A field of the wrong type.
    case wrongType(file: String, line: Int?, path: String, expected: String)
    /// A field of the right type with a bad value.
    case badValue(file: String, line: Int?, path: String, reason: String)

    /// The one-line message printed after `error: `; line breaks in text from a file are escaped.
    public var description: String { message.escapingLineBreaks }

    private var message: String {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): cannot read manifest: \(reason)"
        case .tooLarge(let file, let bytes, let limit):
            "\(file): \(bytes) bytes, more than the \(limit) bytes a manifest may have"
        case .syntax(let file, let line, let reason):
            "\(Self.place(file, line)): invalid manifest syntax: \(reason)"
        case .missingField(let file, let line, let path):
            "\(Self.place(file, line)): \(path): required field is missing"
        case .unknownField(let file, let line, let path):
            "\(Self.place(file, line)): \(path): unknown field"
        case .wrongType(let file, let line, let path, let expected):
            "\(Self.place(file, line)): \(path): expected \(expected)"
        case .badValue(let file, let line, let path, let reason):
            "\(Self.place(file, line)): \(path): \(reason)"
        }
    }

    private static func place(_ file: String, _ line: Int?) -> String {
        line.map { "\(file):\($0)" } ?? file
    }
}
