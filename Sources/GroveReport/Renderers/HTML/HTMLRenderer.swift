/// Renders a report as one self-contained HTML page: no external assets, no JavaScript.
///
/// The page has the metrics, four inline SVG charts — the accuracy of every domain across
/// phases (lines), the accuracy matrix (heatmap), the expert × domain routing load (heatmap),
/// the lineage tree — then the per-domain table, the phases with their detection evidence and
/// the experts. It has a light background and prints (`@media print`) without clipping.
public struct HTMLRenderer: Sendable {
    /// A renderer.
    public init() {}

    /// The HTML document, ending with a newline.
    public func render(_ report: Report) -> String {
        var body: [String] = []
        body.append("<h1>Grove report: model <code>\(SVG.escape(report.model))</code></h1>")
        body.append("<p class=\"meta\">\(report.phases.count) phases · \(report.domains.count) domains · \(report.experts.count) experts · generated \(SVG.escape(report.generatedAt))</p>")
        body.append(cards(report))
        if !report.accuracyMatrix.isEmpty, !report.domains.isEmpty {
            let chart = AccuracyChart(report: report)
            body.append(section("Accuracy of every domain across phases",
                                figure(chart.svg() + chart.legend(), caption: "Accuracy on each domain's held-out samples after each phase, from the phase it appeared in; the axis starts at \(Int((SVG.accuracyFloor(report.accuracyMatrix.flatMap { $0.compactMap { $0 } }) * 100).rounded()))%.")))
            let matrix = Heatmap(title: "Accuracy matrix", rows: report.accuracyMatrix.indices.map { i in
                i < report.phases.count ? "\(i) · \(report.phases[i].domain)" : String(i)
            }, columns: report.domains.map(\.name), values: report.accuracyMatrix, rowAxis: "after phase", columnAxis: "domain",
                lower: SVG.accuracyFloor(report.accuracyMatrix.flatMap { $0.compactMap { $0 } }))
            body.append(section("Accuracy matrix", figure(matrix.svg(), caption: "Accuracy (%) on each domain (columns) after each phase (rows); hatched before a domain appeared.")))
        }
        if !report.experts.isEmpty {
            let load = Heatmap(title: "Routing load", rows: report.experts.map { "#\($0.id) \($0.domain ?? "")" },
                               columns: report.domains.map(\.name),
                               values: report.experts.map { e in report.domains.map { e.load[$0.name] ?? 0 } },
                               rowAxis: "expert", columnAxis: "domain")
            body.append(section("Which experts serve which domain",
                                figure(load.svg(), caption: "Share (%) of each domain's top-k routing that goes to each expert after the latest phase; each column sums to 100%.")))
            body.append(section("Expert lineage",
                                figure(LineageDiagram(report: report).svg(), caption: "Each expert under the expert it was initialised from; dashed: not frozen yet.")))
        }
        if !report.domains.isEmpty { body.append(section(.domains(report))) }
        if !report.phases.isEmpty {
            body.append(section(.phases(report)))
            body.append(evidence(report))
        }
        if !report.experts.isEmpty { body.append(section(.experts(report))) }
        if let drift = report.drift {
            body.append(section("Drift timeline", figure(DriftChart(drift: drift).svg(),
                caption: "The p-value of each tested window of prediction inputs (higher bar: smaller p; red: fits no known domain); ▲ marks the window that raised a drift event.")))
            body.append(section(.drift(drift)))
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Grove report: \(SVG.escape(report.model))</title>
            <style>
            \(HTMLStyle.css)
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    // MARK: - Parts

    /// The metrics as cards.
    func cards(_ report: Report) -> String {
        let items = ReportSection.metrics(report).map { m in
            "<div class=\"card\"><div class=\"name\">\(SVG.escape(m.name))</div><div class=\"value\">\(SVG.escape(m.value))</div></div>"
        }
        return "<div class=\"cards\">" + items.joined() + "</div>"
    }

    func section(_ title: String, _ content: String) -> String {
        "<section>\n<h2>\(SVG.escape(title))</h2>\n\(content)\n</section>"
    }

    func figure(_ content: String, caption: String) -> String {
        "<figure>\n\(content)\n<figcaption>\(SVG.escape(caption))</figcaption>\n</figure>"
    }

    /// A shared section as an HTML table, tones as CSS classes.
    func section(_ s: ReportSection) -> String {
        var html = s.note.map { "<p class=\"note\">\(SVG.escape($0))</p>\n" } ?? ""
        html += "<div class=\"scroll\"><table>\n<thead><tr>"
        html += s.columns.map { "<th\($0.alignment == .right ? " class=\"r\"" : "")>\(SVG.escape($0.title))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in s.rows {
            html += "<tr>"
            for (c, column) in s.columns.enumerated() {
                let cell = c < row.count ? row[c] : Cell("")
                var classes: [String] = []
                if column.alignment == .right { classes.append("r") }
                if cell.tone != .plain { classes.append(cell.tone.rawValue) }
                let attribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                html += "<td\(attribute)>\(SVG.escape(cell.text))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody></table></div>"
        return section(s.title, html)
    }

    /// Every phase's two-sample tests against the domains known at the time.
    func evidence(_ report: Report) -> String {
        var html = "<p class=\"note\">MMD² (RBF kernel) and permutation p-value of each dataset against every domain known at the time; "
            + "below α the data differ from that domain.</p>\n<div class=\"scroll\"><table>\n"
            + "<thead><tr><th class=\"r\">phase</th><th>domain</th><th>decision</th><th class=\"r\">α</th><th>evidence</th></tr></thead>\n<tbody>\n"
        for p in report.phases {
            let d = p.detection
            let tests = d.evidence.isEmpty ? "no domain known yet" : d.evidence.map { e in
                "\(e.domain): MMD² \(NumberFormat.statistic(e.statistic)), p \(NumberFormat.pValue(e.pValue))"
            }.joined(separator: " · ")
            var why = SVG.escape(tests)
            if let note = p.contradiction { why += "<br><span class=\"poor\">\(SVG.escape(note))</span>" }
            html += "<tr><td class=\"r\">\(p.index)</td><td>\(SVG.escape(p.domain))</td>"
                + "<td\(d.decision == "new" ? " class=\"strong\"" : "")>\(SVG.escape(d.decision))</td>"
                + "<td class=\"r\">\(NumberFormat.statistic(d.significance))</td><td class=\"evidence\">\(why)</td></tr>\n"
        }
        html += "</tbody></table></div>"
        return section("Detection evidence", html)
    }
}
