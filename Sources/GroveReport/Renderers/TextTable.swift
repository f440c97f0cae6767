/// Lays a section out as fixed-width terminal text that fits a width limit, with ANSI colours
/// only when asked.
///
/// Widths are counted in `Character`s, which is the terminal width for the Latin, Greek and
/// box-drawing text Grove prints; East Asian wide characters in a domain name may overrun.
struct TextTable: Sendable {
    /// The widest line, in columns.
    var width: Int
    /// ANSI colour codes around toned cells, bold titles.
    var colour: Bool

    /// Gap between columns.
    static let gap = "  "

    /// The lines of `section`: title, optional note, header, rule, rows. No line is wider than
    /// ``width`` (given at least 3 columns per table column), none ends with a space.
    func lines(_ section: ReportSection) -> [String] {
        var out = [paint(section.title, .strong)]
        if let note = section.note {
            out += Self.wrap(note, width: width).map { paint($0, .muted) }
        }
        let widths = columnWidths(section)
        let header = zip(section.columns, widths).map { column, w in
            pad(Cell(column.title, .strong), width: w, alignment: column.alignment)
        }
        out.append(Self.join(header))
        out.append(Self.join(widths.map { paint(String(repeating: "─", count: $0), .muted) }))
        for row in section.rows {
            let cells = section.columns.indices.map { c in
                pad(c < row.count ? row[c] : Cell(""), width: widths[c], alignment: section.columns[c].alignment)
            }
            out.append(Self.join(cells))
        }
        return out
    }

    /// Each column's width: its widest text, then flexible columns (and, if that is not
    /// enough, any column) shortened one character at a time, widest first, until the row fits.
    func columnWidths(_ section: ReportSection) -> [Int] {
        var widths = section.columns.enumerated().map { c, column in
            section.rows.reduce(column.title.count) { max($0, c < $1.count ? $1[c].text.count : 0) }
        }
        let gaps = Self.gap.count * max(0, widths.count - 1)
        var total = widths.reduce(gaps, +)
        for (floor, onlyFlexible) in [(8, true), (3, false)] {
            while total > width {
                let candidates = widths.indices.filter { widths[$0] > floor && (!onlyFlexible || section.columns[$0].flexible) }
                guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
                total -= 1
            }
        }
        return widths
    }

    /// A cell padded (or shortened with `…`) to `width`, coloured by its tone.
    func pad(_ cell: Cell, width: Int, alignment: Column.Alignment) -> String {
        let text = Self.truncate(cell.text, to: width)
        let fill = String(repeating: " ", count: max(0, width - text.count))
        let painted = paint(text, cell.tone)
        return alignment == .left ? painted + fill : fill + painted
    }

    /// `text` wrapped in the ANSI codes of `tone` when colour is on.
    func paint(_ text: String, _ tone: Tone) -> String {
        guard colour, !text.isEmpty, let code = Self.ansi[tone] else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    static let ansi: [Tone: String] = [.good: "32", .fair: "33", .poor: "31", .muted: "2", .strong: "1"]

    /// Columns joined by the gap, trailing spaces removed.
    static func join(_ cells: [String]) -> String {
        var line = cells.joined(separator: gap)
        while line.last == " " { line.removeLast() }
        return line
    }

    /// `text` cut to `width` characters, the last one `…` when cut.
    static func truncate(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(max(0, width))) }
        return String(text.prefix(width - 1)) + "…"
    }

    /// `text` broken at spaces into lines of at most `width` characters (long words are cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            let word = truncate(String(word), to: width)
            if line.isEmpty {
                line = word
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The visible width of a line: its characters without ANSI escape sequences.
    static func visibleWidth(_ line: String) -> Int {
        var width = 0
        var inEscape = false
        for c in line {
            if inEscape {
                if c == "m" { inEscape = false }
            } else if c == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}
