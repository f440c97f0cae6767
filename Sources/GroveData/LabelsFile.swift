/// Reads a separate labels file: a 1-D `.npy` array, or text with one label per line.
///
/// An `.npy` array may have any integer dtype (`i1`...`i8`, `u1`...`u8`, either byte order),
/// `bool`, or a float dtype holding whole numbers; its labels are the decimal names of its
/// values (`"3"`, `"-1"`; `"0"` and `"1"` for booleans; `"3"` for `3.0`). Text labels are
/// trimmed; trailing blank lines are ignored, a blank line before the last label is an error.
/// Integer-looking text labels are kept as written (`"3"`, and `"3.0"` names class `3` once
/// encoded, see ``LabelName/canonical(_:)``), so they map to the same class as the integer 3
/// from any other format. Either kind may be gzip-compressed.
public enum LabelsFile {
    /// The distinct label names in first-seen order, and one code (index into them) per sample.
    /// - Throws: ``DatasetError/emptyLabel(file:line:)``, ``DatasetError/noSamples(file:)``,
    ///   ``ReaderLimitError`` for a file beyond `limits` (rows, distinct labels, label length),
    ///   or ``NPYError`` for a bad `.npy` labels array.
    public static func read(path: String, limits: ReaderLimits = .standard) throws -> (names: [String], codes: [Int32]) {
        let file = FileBytes.displayName(path)
        return try parse(FileBytes.read(path, limits: limits), file: file, limits: limits)
    }

    /// Reads a labels file's contents as stored (gzip is detected); `name` names it in messages.
    /// - Throws: as ``read(path:limits:)``.
    public static func read(
        bytes: [UInt8], name: String, limits: ReaderLimits = .standard
    ) throws -> (names: [String], codes: [Int32]) {
        try parse(FileBytes.decode(bytes, name: name, limits: limits), file: name, limits: limits)
    }

    /// Parses inflated labels bytes.
    static func parse(_ bytes: [UInt8], file: String, limits: ReaderLimits) throws -> (names: [String], codes: [Int32]) {
        if bytes.starts(with: [0x93] + Array("NUMPY".utf8)) {
            return try NPYReader.readLabels(bytes, file: file, limits: limits)
        }
        let text = ByteScanner.terminated(bytes)
        return try text.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { throw DatasetError.emptyFile(file: file) }
            var table = LabelTable()
            var codes: [Int32] = []
            var blankLine: Int?
            try ByteScanner.forEachLine(p, count: text.count - 1) { range, line in
                let trimmed = ByteScanner.trimmed(p, range)
                guard !trimmed.isEmpty else {
                    if blankLine == nil { blankLine = line }
                    return
                }
                if blankLine != nil { return }
                try limits.checkRows(codes.count + 1, file: file, at: .line(line))
                try limits.checkLabel(trimmed.count, file: file, at: .line(line))
                let label = ByteScanner.string(p, trimmed)
                codes.append(try table.code(for: label, limits: limits, file: file, at: .line(line)))
            }
            if let blankLine, blankLine <= lastNonBlankLine(p, count: text.count - 1) {
                throw DatasetError.emptyLabel(file: file, line: blankLine)
            }
            guard !codes.isEmpty else { throw DatasetError.noSamples(file: file) }
            return (table.names, codes)
        }
    }

    private static func lastNonBlankLine(_ p: UnsafePointer<UInt8>, count: Int) -> Int {
        var last = 0
        ByteScanner.forEachLine(p, count: count) { range, line in
            if !ByteScanner.trimmed(p, range).isEmpty { last = line }
        }
        return last
    }
}
