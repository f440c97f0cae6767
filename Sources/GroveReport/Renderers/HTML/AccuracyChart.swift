/// Line chart: every domain's accuracy after each phase, from the phase it appeared in.
struct AccuracyChart: Sendable {
    var report: Report

    static let width = 960.0
    static let height = 340.0
    static let margin = (left: 56.0, right: 20.0, top: 16.0, bottom: 44.0)

    /// The `<svg>` element.
    func svg() -> String {
        let m = Self.margin
        let plotW = Self.width - m.left - m.right, plotH = Self.height - m.top - m.bottom
        let phases = max(1, report.accuracyMatrix.count)
        func x(_ phase: Int) -> Double { m.left + (phases == 1 ? plotW / 2 : plotW * Double(phase) / Double(phases - 1)) }
        let floor = SVG.accuracyFloor(report.accuracyMatrix.flatMap { $0.compactMap { $0 } })
        func y(_ value: Double) -> Double { m.top + plotH * (1 - (max(floor, value) - floor) / (1 - floor)) }
        var out = [SVG.open(width: Self.width, height: Self.height, label: "Accuracy of every domain after each phase")]
        out.append("<rect x=\"\(SVG.n(m.left))\" y=\"\(SVG.n(m.top))\" width=\"\(SVG.n(plotW))\" height=\"\(SVG.n(plotH))\" class=\"plot\"/>")
        for tick in stride(from: floor, through: 1.0001, by: floor >= 0.5 ? 0.1 : 0.2) {
            out.append("<line x1=\"\(SVG.n(m.left))\" x2=\"\(SVG.n(m.left + plotW))\" y1=\"\(SVG.n(y(tick)))\" y2=\"\(SVG.n(y(tick)))\" class=\"grid\"/>")
            out.append(SVG.text("\(Int((tick * 100).rounded()))%", x: m.left - 8, y: y(tick) + 4, anchor: "end", cssClass: "tick"))
        }
        let every = max(1, Int((Double(phases) / 20).rounded(.up)))
        for phase in stride(from: 0, to: phases, by: every) {
            out.append(SVG.text(String(phase), x: x(phase), y: m.top + plotH + 18, anchor: "middle", cssClass: "tick"))
        }
        out.append(SVG.text("phase", x: m.left + plotW / 2, y: Self.height - 6, anchor: "middle", cssClass: "axis"))
        out.append(SVG.text("accuracy", x: 14, y: m.top + plotH / 2, anchor: "middle", cssClass: "axis",
                            extra: " transform=\"rotate(-90 14 \(SVG.n(m.top + plotH / 2)))\""))
        let dots = phases <= 30 && report.domains.count <= 20
        for (j, domain) in report.domains.enumerated() {
            let points = report.accuracyMatrix.enumerated().compactMap { i, row in
                j < row.count ? row[j].map { (x(i), y($0)) } : nil
            }
            guard !points.isEmpty else { continue }
            let colour = SVG.series(j)
            let coordinates = points.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: " ")
            out.append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"><title>\(SVG.escape(domain.name))</title></polyline>")
            if dots {
                for p in points {
                    out.append("<circle cx=\"\(SVG.n(p.0))\" cy=\"\(SVG.n(p.1))\" r=\"3\" fill=\"\(colour)\"/>")
                }
            }
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    /// The legend, as HTML under the chart (it grows with the domains, the chart does not).
    func legend() -> String {
        let items = report.domains.enumerated().map { j, d in
            "<li><span class=\"swatch\" style=\"background:\(SVG.series(j))\"></span>\(SVG.escape(d.name))</li>"
        }
        return "<ul class=\"legend\">" + items.joined() + "</ul>"
    }
}
