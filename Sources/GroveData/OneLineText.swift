extension String {
    /// The string with each line break (`\n`, `\r`, U+2028, ...) written as an escape, so that
    /// text taken from a file (a column name, a path, a key) cannot split a one-line message.
    var escapingLineBreaks: String {
        guard contains(where: \.isNewline) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
