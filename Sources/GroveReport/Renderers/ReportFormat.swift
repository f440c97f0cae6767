/// The output formats of a report (`grove report --format`).
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Terminal tables, at most 100 columns wide.
    case table
    /// Pretty JSON with sorted keys, the shape of `schemas/report.schema.json`.
    case json
    /// GitHub-flavoured Markdown for pull requests and wikis.
    case markdown
    /// One self-contained HTML page with inline SVG charts.
    case html

    /// The format named `name` (`table`, `json`, `markdown`, `html`).
    /// - Throws: `ReportError.unknownFormat` for any other name.
    public init(parsing name: String) throws(ReportError) {
        guard let format = ReportFormat(rawValue: name.lowercased()) else { throw .unknownFormat(name: name) }
        self = format
    }
}

extension Report {
    /// Renders the report in `format`.
    /// - Parameters:
    ///   - format: the output format.
    ///   - colour: ANSI colours in the terminal table (the caller decides, e.g. from `isatty`);
    ///     ignored by the other formats.
    /// - Returns: the text, ending with a newline.
    /// - Throws: `ReportError.notEncodable` when JSON cannot carry a value (NaN, infinity).
    public func render(_ format: ReportFormat, colour: Bool = false) throws -> String {
        switch format {
        case .table: TableRenderer(colour: colour).render(self)
        case .json: try JSONRenderer().render(self)
        case .markdown: MarkdownRenderer().render(self)
        case .html: HTMLRenderer().render(self)
        }
    }
}
