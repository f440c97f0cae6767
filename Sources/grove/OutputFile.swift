import Foundation

/// A file a command writes its answer to (`--out`).
enum OutputFile {
    /// Writes `data` to `path` atomically (a temporary file renamed into place), so a reader
    /// never sees half of it.
    /// - Throws: ``OutputFileError`` naming the path and the reason.
    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw OutputFileError(path: path, reason: error.localizedDescription)
        }
    }
}

/// An answer could not be written to its `--out` file.
struct OutputFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot write \(path): \(reason)" }
}
