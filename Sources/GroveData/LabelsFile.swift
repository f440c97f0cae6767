/// Reads a separate labels file: a 1-D `.npy` array, or text with one label per line.
///
/// An `.npy` array may have any integer dtype (`i1`...`i8`, `u1`...`u8`, either byte order) or
/// `bool`; its labels are the decimal names of its values (`"3"`, `"-1"`; `"0"` and `"1"` for
/// booleans). Text labels are trimmed; trailing blank lines are ignored, a blank line before the
/// last label is an error. Integer-looking text labels are kept as written (`"3"`), so they map
/// to the same class as the integer 3 from any other format. Either kind may be gzip-compressed.
public enum LabelsFile {
    /// The distinct label names in first-seen order, and one code (index into them) per sample.
    /// - Throws: ``DatasetError/emptyLabel(file:line:)``, ``DatasetError/noSamples(file:)``, or
    ///   ``NPYError`` for a bad `.npy` labels array.
    public static func read(path: String) throws -> (names: [String], codes: [Int32]) {
        let file = FileBytes.displayName(path)
        let bytes = try FileBytes.read(path)
        if bytes.starts(with: [0x93] + Array("NUMPY".utf8)) {
            return try NPYReader.readLabels(bytes, file: file)
        }
        let text = ByteScanner.terminated(bytes)
        return try text.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { throw DatasetError.emptyFile(file: file) }
            var table = LabelTable()
            var codes: [Int32] = []
            var blankLine: Int?
            ByteScanner.forEachLine(p, count: text.count - 1) { range, line in
                let trimmed = ByteScanner.trimmed(p, range)
                guard !trimmed.isEmpty else {
                    if blankLine == nil { blankLine = line }
                    return
                }
                if blankLine != nil { return }
                codes.append(table.code(for: ByteScanner.string(p, trimmed)))
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
