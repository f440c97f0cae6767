/// Renders a report as GitHub-flavoured Markdown, for pasting into a pull request or wiki.
///
/// Sections: title and metrics, domains, the accuracy matrix, phases, experts and the
/// lineage tree in a code block. Cell text escapes `|`, `\` and line breaks.
public struct MarkdownRenderer: Sendable {
    /// A renderer.
    public init() {}

    /// The Markdown, ending with a newline.
    public func render(_ report: Report) -> String {
        var out: [String] = []
        out.append("# Grove report: model `\(report.model)`")
        out.append("")
        out.append("_\(report.phases.count) phases · \(report.domains.count) domains · \(report.experts.count) experts · generated \(report.generatedAt)_")
        out.append("")
        out.append(table(ReportSection(
            title: "", columns: [Column("metric"), Column("value", .right)],
            rows: ReportSection.metrics(report).map { [Cell($0.name), Cell($0.value)] })))
        if !report.domains.isEmpty {
            out.append(section(.domains(report)))
        }
        if !report.accuracyMatrix.isEmpty {
            var matrix = ReportSection.matrix(report, domains: 0..<report.domains.count)
            matrix.note = "Rows: after each phase; columns: domains; — before a domain appeared."
            out.append(section(matrix))
        }
        if !report.phases.isEmpty {
            out.append(section(.phases(report)))
        }
        if !report.experts.isEmpty {
            out.append(section(.experts(report)))
            out.append("## Lineage\n\n```text\n" + LineageTree(experts: report.experts).render() + "```\n")
        }
        if let drift = report.drift {
            out.append(section(.drift(drift)))
        }
        return out.joined(separator: "\n")
    }

    /// `## Title`, the note in italics, then the table.
    func section(_ s: ReportSection) -> String {
        var text = "## \(s.title)\n\n"
        if let note = s.note { text += "_\(Self.escape(note))_\n\n" }
        return text + table(s)
    }

    /// A pipe table with alignment markers, ending with a newline.
    func table(_ s: ReportSection) -> String {
        var lines = ["| " + s.columns.map { Self.escape($0.title) }.joined(separator: " | ") + " |"]
        lines.append("|" + s.columns.map { $0.alignment == .right ? " ---: " : " --- " }.joined(separator: "|") + "|")
        for row in s.rows {
            let cells = s.columns.indices.map { c in c < row.count ? Self.escape(row[c].text) : "" }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe inside a table cell: `|` and `\` escaped, line breaks as spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
