/// How a cell should stand out; the terminal maps it to ANSI colours, HTML to CSS classes,
/// Markdown ignores it.
enum Tone: String, Sendable {
    case plain, good, fair, poor, muted, strong

    /// The tone of an accuracy: good from 90%, fair from 70%, poor below.
    static func accuracy(_ value: Double?) -> Tone {
        guard let value else { return .muted }
        return value >= 0.9 ? .good : value >= 0.7 ? .fair : .poor
    }

    /// The tone of a drop from the best accuracy: poor above 5 points, fair above 1 point.
    static func drop(_ value: Double?) -> Tone {
        guard let value else { return .muted }
        return value > 0.05 ? .poor : value > 0.01 ? .fair : .plain
    }
}

/// One table cell: text and how it stands out.
struct Cell: Sendable, ExpressibleByStringLiteral {
    var text: String
    var tone: Tone = .plain

    init(_ text: String, _ tone: Tone = .plain) {
        self.text = text
        self.tone = tone
    }

    init(stringLiteral value: String) {
        self.init(value)
    }

    /// An accuracy as a percentage, toned by its value.
    static func accuracy(_ value: Double?) -> Cell {
        Cell(NumberFormat.percent(value), Tone.accuracy(value))
    }
}

/// A column: its title, its alignment and whether the terminal may shorten it to fit.
struct Column: Sendable {
    enum Alignment: Sendable { case left, right }

    var title: String
    var alignment: Alignment
    /// The terminal table shortens flexible columns (with `…`) when a row is too wide.
    var flexible: Bool

    init(_ title: String, _ alignment: Alignment = .left, flexible: Bool = false) {
        self.title = title
        self.alignment = alignment
        self.flexible = flexible
    }
}

/// A titled table shared by the terminal, Markdown and HTML renderers, so that they agree.
struct ReportSection: Sendable {
    var title: String
    var columns: [Column]
    var rows: [[Cell]]
    /// A line under the title explaining the table, if any.
    var note: String?

    init(title: String, columns: [Column], rows: [[Cell]], note: String? = nil) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.note = note
    }
}
