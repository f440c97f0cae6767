import GroveNumerics

/// Errors of rendering a report.
public enum ReportError: GroveError, Equatable {
    /// The report holds a value JSON cannot carry (a NaN or infinite number).
    case notEncodable(reason: String)
    /// A format name that is not one of ``ReportFormat``.
    case unknownFormat(name: String)

    public var description: String {
        switch self {
        case .notEncodable(let reason):
            "the report cannot be written as JSON: \(reason)"
        case .unknownFormat(let name):
            "unknown report format '\(name)'; use one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
