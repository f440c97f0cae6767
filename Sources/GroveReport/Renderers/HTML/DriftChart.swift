import Foundation

/// The drift timeline as an inline SVG bar chart: one bar per tested window, as tall as
/// `−log10 p` (capped at 3, p = 0.001), red when the window fits no known domain, with a
/// triangle over each window that raised an event.
struct DriftChart {
    let drift: ReportDrift

    static let height = 180.0
    static let left = 44.0
    static let top = 18.0
    static let bottom = 28.0
    static let cap = 3.0

    func svg() -> String {
        let count = max(drift.windows.count, 1)
        let bar = max(1.5, min(12, 720 / Double(count)))
        let plotWidth = bar * Double(count)
        let width = Self.left + plotWidth + 12
        let plotHeight = Self.height - Self.top - Self.bottom
        func y(_ p: Double) -> Double {
            let level = min(Self.cap, -log10(max(p, 1e-300)))
            return Self.top + plotHeight * (1 - level / Self.cap)
        }
        var out = [SVG.open(width: width, height: Self.height, label: "p-value of each tested window of prediction inputs")]
        out.append("<rect class=\"plot\" x=\"\(SVG.n(Self.left))\" y=\"\(SVG.n(Self.top))\" width=\"\(SVG.n(plotWidth))\" height=\"\(SVG.n(plotHeight))\"/>")
        for p in [1.0, 0.1, 0.01, 0.001] {
            out.append(SVG.text(p == 1 ? "1" : String(p), x: Self.left - 6, y: y(p) + 4, anchor: "end", cssClass: "tick"))
        }
        let raised = Set(drift.events.map(\.lastWindow))
        for (index, window) in drift.windows.enumerated() {
            let x = Self.left + Double(index) * bar
            let top = y(window.pValue)
            let colour = window.fits ? "#9bb7d4" : "#e15759"
            out.append("<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(top))\" width=\"\(SVG.n(max(1, bar - 0.5)))\" height=\"\(SVG.n(Self.top + plotHeight - top))\" fill=\"\(colour)\"><title>window \(window.id): p = \(SVG.escape(NumberFormat.pValue(window.pValue)))\(window.fits ? "" : ", does not fit")</title></rect>")
            if raised.contains(window.id) {
                out.append(SVG.text("▲", x: x + bar / 2, y: Self.top - 4, anchor: "middle", cssClass: "label"))
            }
        }
        if let first = drift.windows.first, let last = drift.windows.last {
            out.append(SVG.text("window \(first.id)", x: Self.left, y: Self.height - 8, cssClass: "axis"))
            out.append(SVG.text("window \(last.id)", x: Self.left + plotWidth, y: Self.height - 8, anchor: "end", cssClass: "axis"))
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }
}
