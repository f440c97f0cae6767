/// The dataset file formats Grove reads.
public enum DatasetFormat: String, Sendable, Codable, CaseIterable {
    /// IDX images (`*-ubyte`, `*.idx`) plus an IDX labels file; see ``IDXReader``.
    case idx
    /// CSV with a header and a `label` column; see ``CSVReader``.
    case csv
    /// One `{"x": [...], "y": label}` object per line; see ``JSONLReader``.
    case jsonl
    /// NumPy `.npy` features plus a labels file; see ``NPYReader``.
    case npy

    /// Whether this format needs a separate labels file.
    public var needsLabelsFile: Bool { self == .idx || self == .npy }

    /// The format implied by a file name, ignoring a trailing `.gz`, or `nil` when unknown.
    ///
    /// `.csv` → csv; `.jsonl`, `.ndjson` → jsonl; `.npy` → npy; `.idx`, `.idxN`, and names ending
    /// in `-ubyte` or `.ubyte` (as `train-images-idx3-ubyte`) → idx. Matching ignores case.
    public static func detect(path: String) -> DatasetFormat? {
        var name = FileBytes.displayName(path).lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonl }
        if name.hasSuffix(".npy") { return .npy }
        if name.hasSuffix("-ubyte") || name.hasSuffix(".ubyte") { return .idx }
        if let dot = name.lastIndex(of: ".") {
            let ext = name[name.index(after: dot)...]
            if ext == "idx" || (ext.hasPrefix("idx") && ext.dropFirst(3).allSatisfy(\.isNumber)) { return .idx }
        }
        return nil
    }
}
