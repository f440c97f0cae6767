/// Renders a report as terminal tables no wider than 100 columns.
///
/// Sections: a headline, the metrics, the domains, the accuracy matrix (split into blocks of
/// domains that fit the width), the phases with their detection evidence, the experts, and
/// the lineage tree. Colour (ANSI) only when `colour` is true; the CLI sets it from `isatty`.
public struct TableRenderer: Sendable {
    /// ANSI colours on.
    public var colour: Bool
    /// The widest line, in columns (default 100).
    public var width: Int

    /// A renderer; `colour` adds ANSI escape codes.
    public init(colour: Bool = false, width: Int = 100) {
        self.colour = colour
        self.width = width
    }

    /// The tables, one blank line between sections, ending with a newline.
    public func render(_ report: Report) -> String {
        let table = TextTable(width: width, colour: colour)
        var blocks: [[String]] = []
        blocks.append([table.paint(TextTable.truncate(ReportSection.headline(report), to: width), .strong)]
            + metricsLines(report, table: table))
        if !report.domains.isEmpty { blocks.append(table.lines(.domains(report))) }
        blocks += matrixBlocks(report, table: table)
        if !report.phases.isEmpty { blocks.append(table.lines(.phases(report))) }
        if !report.experts.isEmpty {
            blocks.append(table.lines(.experts(report)))
            let tree = LineageTree(experts: report.experts).lines(width: width)
            blocks.append([table.paint("Lineage", .strong)] + tree)
        }
        if let drift = report.drift { blocks.append(table.lines(.drift(drift))) }
        return blocks.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    /// The metrics on as few lines as fit: `average accuracy 91.2% · forgetting 1.3 pt · …`.
    func metricsLines(_ report: Report, table: TextTable) -> [String] {
        let parts = ReportSection.metrics(report).map { "\($0.name) \($0.value)" }
        var lines: [String] = []
        var line = ""
        for part in parts {
            let candidate = line.isEmpty ? part : line + " · " + part
            if candidate.count <= width || line.isEmpty {
                line = TextTable.truncate(candidate, to: width)
            } else {
                lines.append(line)
                line = part
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The accuracy matrix in blocks of as many domain columns as fit the width.
    func matrixBlocks(_ report: Report, table: TextTable) -> [[String]] {
        let count = report.domains.count
        guard count > 0, !report.accuracyMatrix.isEmpty else { return [] }
        // phase (5) + learned (up to 12) + mean (6) + gaps; each domain column is at most 8 wide + gap.
        let learned = min(12, max(7, report.phases.map(\.domain.count).max() ?? 7))
        let fixed = 5 + learned + 6 + 3 * TextTable.gap.count
        let perBlock = max(1, (width - fixed) / (8 + TextTable.gap.count))
        var blocks: [[String]] = []
        var start = 0
        while start < count {
            let end = min(count, start + perBlock)
            var section = ReportSection.matrix(report, domains: start..<end, nameWidth: 8)
            if count > perBlock {
                section.title += " (domains \(start + 1)–\(end) of \(count))"
            }
            blocks.append(table.lines(section))
            start = end
        }
        return blocks
    }
}
