/// Reads a CSV dataset: a header line, a `label` column and numeric feature columns.
///
/// The `label` column (matched case-insensitively) may be anywhere; every other column is a
/// feature, in header order. Cells may be double-quoted (`""` escapes a quote) but not span
/// lines. Blank lines are skipped, `\r\n` line ends and a UTF-8 byte order mark are accepted,
/// and the file may be gzip-compressed. Labels are kept as written; a whole number written as
/// `3.0` names class `3` when the samples are encoded (``LabelName/canonical(_:)``).
///
/// ```text
/// x1,x2,label
/// 0.5,1.25,cat
/// ```
public enum CSVReader {
    /// Reads the CSV file at `path`.
    /// - Throws: ``CSVError`` naming the line and column of the first defect,
    ///   ``ReaderLimitError`` for a file beyond `limits`, or ``DatasetError`` for unreadable or
    ///   empty files and files without data rows.
    public static func read(path: String, limits: ReaderLimits = .standard) throws -> RawDataset {
        let file = FileBytes.displayName(path)
        return try parse(FileBytes.read(path, limits: limits), file: file, limits: limits)
    }

    /// Reads a CSV file's contents as stored (gzip is detected); `name` names it in messages.
    /// - Throws: as ``read(path:limits:)``.
    public static func read(bytes: [UInt8], name: String, limits: ReaderLimits = .standard) throws -> RawDataset {
        try parse(FileBytes.decode(bytes, name: name, limits: limits), file: name, limits: limits)
    }

    /// Reads the samples of the CSV file at `path` for prediction: a `label` column is optional
    /// and its cells, when there is one, are skipped unread; every other column is a feature.
    /// - Throws: as ``read(path:limits:)``, except for the label column.
    public static func readFeatures(path: String, limits: ReaderLimits = .standard) throws -> FeatureRows {
        let file = FileBytes.displayName(path)
        return FeatureRows(try parse(FileBytes.read(path, limits: limits), file: file, limits: limits, labels: .skipped))
    }

    /// Parses decoded CSV text.
    static func parse(_ text: [UInt8], file: String, limits: ReaderLimits, labels labelMode: LabelReading = .required) throws -> RawDataset {
        let bytes = ByteScanner.terminated(text)
        let count = bytes.count - 1
        return try bytes.withUnsafeBufferPointer { buffer -> RawDataset in
            guard let p = buffer.baseAddress else { throw DatasetError.emptyFile(file: file) }
            var header: [String]?
            var labelColumn: Int?
            var features: [Float] = []
            var labels = LabelTable()
            var codes: [Int32] = []
            var cells: [Range<Int>] = []
            try ByteScanner.forEachLine(p, count: count) { range, line in
                guard !ByteScanner.trimmed(p, range).isEmpty else { return }
                cells.removeAll(keepingCapacity: true)
                guard let columns = header else {
                    // The label column plus at most maxFeatures features.
                    let found = try split(p, range, into: &cells, keeping: limits.maxFeatures + 1, file: file, line: line)
                    try limits.checkFeatures(found - 1, file: file, at: .line(line))
                    let names = cells.map { unquoted(p, $0) }
                    labelColumn = try checkHeader(names, file: file, labels: labelMode)
                    if labelColumn == nil { try limits.checkFeatures(found, file: file, at: .line(line)) }
                    header = names
                    return
                }
                let found = try split(p, range, into: &cells, keeping: columns.count, file: file, line: line)
                guard found == columns.count else {
                    throw CSVError.wrongColumnCount(file: file, line: line, expected: columns.count, actual: found)
                }
                try limits.checkRows(codes.count + 1, file: file, at: .line(line))
                if labelMode == .skipped { codes.append(0) }
                for (c, cell) in cells.enumerated() {
                    if c == labelColumn {
                        guard labelMode == .required else { continue }
                        let label = unquoted(p, cell).trimmingBlanks()
                        guard !label.isEmpty else { throw CSVError.missingLabel(file: file, line: line) }
                        codes.append(try labels.code(for: label, limits: limits, file: file, at: .line(line)))
                        continue
                    }
                    let inner = p[cell.lowerBound] == ByteScanner.quote
                        ? ByteScanner.trimmed(p, cell.lowerBound + 1 ..< cell.upperBound - 1) : cell
                    guard let value = ByteScanner.float(p, inner) else {
                        throw CSVError.notANumber(
                            file: file, line: line, column: columns[c],
                            text: ByteScanner.excerpt(unquoted(p, cell)))
                    }
                    guard value.isFinite else {
                        throw CSVError.nonFinite(
                            file: file, line: line, column: columns[c],
                            text: ByteScanner.excerpt(unquoted(p, cell)))
                    }
                    features.append(value)
                }
            }
            guard let columns = header else { throw DatasetError.emptyFile(file: file) }
            guard !codes.isEmpty else { throw DatasetError.noSamples(file: file) }
            let names = columns.indices.filter { $0 != labelColumn }.map { columns[$0].trimmingBlanks() }
            var raw = RawDataset(
                features: features, dimension: names.count, labelNames: labelMode == .skipped ? [""] : labels.names,
                labelCodes: codes, source: file)
            raw.columnNames = names
            return raw
        }
    }

    /// The index of the label column (`nil` when there is none and `labels` lets it be
    /// absent), after checking the header's names.
    static func checkHeader(_ names: [String], file: String, labels: LabelReading) throws -> Int? {
        var seen = Set<String>()
        for name in names where !seen.insert(name.trimmingBlanks()).inserted {
            throw CSVError.duplicateColumn(file: file, column: name)
        }
        let index = names.firstIndex(where: { $0.trimmingBlanks().lowercased() == "label" })
        if index == nil, labels == .required { throw CSVError.missingLabelColumn(file: file) }
        guard names.count > (index == nil ? 0 : 1) else { throw CSVError.noFeatureColumns(file: file) }
        return index
    }

    /// Splits one line into cell ranges (blank-trimmed; quotes kept), appending at most
    /// `keeping` of them to `cells`, and returns how many cells the line has.
    static func split(
        _ p: UnsafePointer<UInt8>, _ line: Range<Int>, into cells: inout [Range<Int>], keeping: Int,
        file: String, line number: Int
    ) throws -> Int {
        var found = 0
        let comma = UInt8(ascii: ",")
        var i = line.lowerBound
        while true {
            var start = i
            while start < line.upperBound, ByteScanner.isSpace(p[start]) { start += 1 }
            var end = start
            if start < line.upperBound, p[start] == ByteScanner.quote {
                end = start + 1
                while true {
                    guard end < line.upperBound else {
                        throw CSVError.unterminatedQuote(file: file, line: number)
                    }
                    if p[end] == ByteScanner.quote {
                        if end + 1 < line.upperBound, p[end + 1] == ByteScanner.quote { end += 2; continue }
                        end += 1
                        break
                    }
                    end += 1
                }
                i = end
                while i < line.upperBound, p[i] != comma { i += 1 }
            } else {
                while end < line.upperBound, p[end] != comma { end += 1 }
                i = end
            }
            if found < keeping { cells.append(ByteScanner.trimmed(p, start ..< end)) }
            found += 1
            guard i < line.upperBound else { return found }
            i += 1  // past the comma
        }
    }

    /// A cell's text with surrounding quotes removed and `""` unescaped.
    static func unquoted(_ p: UnsafePointer<UInt8>, _ cell: Range<Int>) -> String {
        guard cell.count >= 2, p[cell.lowerBound] == ByteScanner.quote else {
            return ByteScanner.string(p, cell)
        }
        return ByteScanner.string(p, cell.lowerBound + 1 ..< cell.upperBound - 1)
            .replacing("\"\"", with: "\"")
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and carriage returns.
    func trimmingBlanks() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !" \t\r".unicodeScalars.contains($0) }),
              let last = scalars.lastIndex(where: { !" \t\r".unicodeScalars.contains($0) })
        else { return "" }
        return String(scalars[first ... last])
    }
}
