import Foundation

/// A heatmap of fractions in [0, 1]: one row per `rows` label, one column per `columns` label,
/// pale for 0 and dark for 1, hatched grey where there is no value.
struct Heatmap: Sendable {
    var title: String
    var rows: [String]
    var columns: [String]
    /// `values[r][c]`, `nil` where there is none; short rows are padded with `nil`.
    var values: [[Double?]]
    var rowAxis: String
    var columnAxis: String
    /// The value drawn palest; values at or below it share its colour (accuracies near 1
    /// differ visibly only when the scale starts above 0).
    var lower: Double = 0

    /// A value's position on the colour scale, in [0, 1].
    func scaled(_ value: Double) -> Double {
        lower >= 1 ? 1 : (value - lower) / (1 - lower)
    }

    static let maxWidth = 960.0

    /// The `<svg>` element.
    func svg() -> String {
        let longest = rows.map(\.count).max() ?? 1
        let labelW = min(160, max(40, Double(longest) * 7 + 12))
        let cellW = max(4, min(110, (Self.maxWidth - labelW - 16) / Double(max(1, columns.count))))
        let cellH = max(4, min(28, cellW))
        let rotate = cellW < 60
        let headerH = rotate ? min(110, Double(columns.map(\.count).max() ?? 1) * 6 + 24) : 30
        let legendH = 40.0
        let width = max(labelW + cellW * Double(columns.count) + 16, labelW + 540)
        let height = headerH + cellH * Double(rows.count) + legendH
        let showValues = cellW >= 40 && cellH >= 18
        let columnStep = max(1, Int((12 / cellW).rounded(.up)))
        let rowStep = max(1, Int((11 / cellH).rounded(.up)))

        var out = [SVG.open(width: width, height: height, label: title)]
        out.append("<defs><pattern id=\"none-\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"6\" height=\"6\" fill=\"#f1f1f1\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#d4d4d4\" stroke-width=\"2\"/></pattern></defs>")
        for (c, name) in columns.enumerated() where c % columnStep == 0 {
            let x = labelW + cellW * (Double(c) + 0.5)
            if rotate {
                out.append(SVG.text(name, x: x, y: headerH - 6, anchor: "start", cssClass: "tick",
                                    extra: " transform=\"rotate(-50 \(SVG.n(x)) \(SVG.n(headerH - 6)))\""))
            } else {
                out.append(SVG.text(TextTable.truncate(name, to: Int(cellW / 6.5)), x: x, y: headerH - 10, anchor: "middle", cssClass: "tick"))
            }
        }
        for (r, name) in rows.enumerated() {
            let y = headerH + cellH * Double(r)
            if r % rowStep == 0 {
                out.append(SVG.text(TextTable.truncate(name, to: Int(labelW / 7)), x: labelW - 6, y: y + cellH / 2 + 4, anchor: "end", cssClass: "tick"))
            }
            let row = r < values.count ? values[r] : []
            for c in columns.indices {
                let x = labelW + cellW * Double(c)
                let value = c < row.count ? row[c] : nil
                let fill = value.map { SVG.heat(scaled($0)) } ?? "url(#none-\(id))"
                let tip = "\(name) · \(columns[c]): \(NumberFormat.percent(value))"
                out.append("<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(cellW))\" height=\"\(SVG.n(cellH))\" fill=\"\(fill)\" class=\"cell\"><title>\(SVG.escape(tip))</title></rect>")
                if showValues, let value {
                    out.append("<text x=\"\(SVG.n(x + cellW / 2))\" y=\"\(SVG.n(y + cellH / 2 + 4))\" text-anchor=\"middle\" class=\"value\" fill=\"\(SVG.ink(onHeat: scaled(value)))\">\(SVG.escape(Self.short(value)))</text>")
                }
            }
        }
        out.append(legend(x: labelW, y: headerH + cellH * Double(rows.count) + 14))
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    /// An id unique to this chart on the page, for its hatch pattern.
    var id: String {
        String(title.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.prefix(24).map(Character.init))
    }

    /// `0.912` → `91`; `1.0` → `100`: whole percent, small enough for a cell.
    static func short(_ value: Double) -> String {
        String(Int((value * 100).rounded()))
    }

    /// The colour scale: ten steps from `lower` to 100%, the axis names and the no-value swatch.
    func legend(x: Double, y: Double) -> String {
        var out = ""
        for step in 0..<10 {
            let v = (Double(step) + 0.5) / 10
            out += "<rect x=\"\(SVG.n(x + Double(step) * 16))\" y=\"\(SVG.n(y))\" width=\"16\" height=\"10\" fill=\"\(SVG.heat(v))\"/>"
        }
        out += SVG.text("\(Int((lower * 100).rounded()))%", x: x, y: y + 22, cssClass: "tick")
        out += SVG.text("100%", x: x + 160, y: y + 22, anchor: "end", cssClass: "tick")
        out += "<rect x=\"\(SVG.n(x + 176))\" y=\"\(SVG.n(y))\" width=\"16\" height=\"10\" fill=\"url(#none-\(id))\"/>"
        out += SVG.text("no value", x: x + 196, y: y + 9, cssClass: "tick")
        out += SVG.text("rows: \(rowAxis) · columns: \(columnAxis)", x: x + 260, y: y + 9, cssClass: "tick")
        return out
    }
}
