import Foundation

/// Small helpers for writing inline SVG and HTML by hand: escaping, coordinates, colours.
enum SVG {
    /// Text safe in HTML and SVG content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal: `12.0` → `12`, `3.25` → `3.2`.
    static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// A text element; `anchor` is `start`, `middle` or `end`.
    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", cssClass: String? = nil, extra: String = "") -> String {
        let cls = cssClass.map { " class=\"\($0)\"" } ?? ""
        return "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(cls)\(extra)>\(escape(content))</text>"
    }

    /// The opening tag of a chart: scales to the page width, labelled for screen readers.
    static func open(width: Double, height: Double, label: String) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "role=\"img\" aria-label=\"\(escape(label))\" preserveAspectRatio=\"xMinYMin meet\">"
    }

    /// Where an accuracy axis or colour scale starts: 0.5, or lower in steps of 0.1 to take in
    /// the smallest value, so that accuracies in the usual 0.7–1 range are told apart.
    static func accuracyFloor(_ values: [Double]) -> Double {
        guard let smallest = values.filter(\.isFinite).min() else { return 0.5 }
        return max(0, min(0.5, (smallest * 10).rounded(.down) / 10))
    }

    // MARK: - Colours

    /// Ten distinguishable series colours (Tableau 10), then golden-angle hues.
    static func series(_ index: Int) -> String {
        let tableau = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                       "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
        if index < tableau.count { return tableau[index] }
        let hue = (Double(index) * 137.508).truncatingRemainder(dividingBy: 360)
        return "hsl(\(Int(hue)),55%,45%)"
    }

    /// The colour of a fraction on a light-to-dark sequential scale (viridis stops, reversed
    /// lightness so that 0 is pale and 1 is dark), linearly interpolated.
    static func heat(_ value: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (253, 231, 37), (122, 209, 81), (34, 168, 132), (42, 120, 142), (65, 68, 135), (68, 1, 84),
        ]
        let v = min(1, max(0, value.isFinite ? value : 0)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(v))
        let t = v - Double(i)
        let a = stops[i], b = stops[i + 1]
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// Black or white, whichever reads better on `heat(value)`.
    static func ink(onHeat value: Double) -> String {
        value > 0.45 ? "#ffffff" : "#1a1a1a"
    }
}
