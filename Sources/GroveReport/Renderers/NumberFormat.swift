import Foundation

/// How the human-readable renderers write numbers; JSON keeps raw fractions.
enum NumberFormat {
    /// The mark for an absent value.
    static let none = "—"

    /// A fraction as a percentage with one decimal: `0.9123` → `91.2%`.
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        return String(format: "%.1f%%", value * 100)
    }

    /// A difference of fractions in percentage points with a sign: `-0.013` → `-1.3`.
    static func points(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        let text = String(format: "%+.1f", value * 100)
        return text == "-0.0" || text == "+0.0" ? "0.0" : text
    }

    /// A drop in percentage points without a sign: `0.013` → `1.3`.
    static func drop(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        return String(format: "%.1f", value * 100)
    }

    /// A statistic or p-value with three significant digits: `0.000123` → `1.23e-04`.
    static func statistic(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        return magnitude >= 0.001 && magnitude < 1000 ? String(format: "%.3g", value) : String(format: "%.2e", value)
    }

    /// A p-value: `<0.001` below that, else three decimals.
    static func pValue(_ value: Double?) -> String {
        guard let value, value.isFinite else { return none }
        return value < 0.001 ? "<0.001" : String(format: "%.3f", value)
    }

    /// Seconds with one decimal: `1.234` → `1.2s`.
    static func seconds(_ value: Double) -> String {
        String(format: "%.1fs", value)
    }

    /// A count with thousands separated by thin groups: `203530` → `203,530`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// A list of ids: `[3, 4]` → `#3 #4`; empty → `—`.
    static func ids(_ values: [Int]) -> String {
        values.isEmpty ? none : values.map { "#\($0)" }.joined(separator: " ")
    }

    /// A list of class indices: `[0, 1]` → `0,1`.
    static func classes(_ values: [Int]) -> String {
        values.isEmpty ? none : values.map(String.init).joined(separator: ",")
    }
}
