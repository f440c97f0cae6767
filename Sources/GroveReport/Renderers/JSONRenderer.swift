import Foundation

/// Renders a report as pretty JSON with sorted keys: the contract described
/// by `schemas/report.schema.json`.
public struct JSONRenderer: Sendable {
    /// A renderer.
    public init() {}

    /// The JSON text, ending with a newline.
    /// - Throws: `ReportError.notEncodable` when a number is NaN or infinite.
    public func render(_ report: Report) throws(ReportError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(report)
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw .notEncodable(reason: String(describing: error))
        }
    }

    /// Decodes a report from its JSON.
    /// - Throws: `DecodingError` when the text is not a report.
    public static func decode(_ text: String) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(text.utf8))
    }
}
