import Foundation
import Synchronization

/// `inbox/failed/`: rejected inbox files, each with `<name>.error` beside it holding why.
///
/// Nothing there is ever overwritten: when a name is taken (the same file failed twice, or two
/// files of one name), the next one gets a number before its extension (`day1-2.csv`,
/// `day1-3.csv.gz`), so that moving it back into the inbox still submits it as its format.
enum FailedInbox {
    /// Serializes the choice of a name with the move, between the watcher and the job runner.
    private static let naming = Mutex(())

    /// Moves the file (or symbolic link, which is moved, not followed) at `url` into `folder`
    /// under `name` or the first free numbered name, and writes the `.error` file.
    /// - Returns: the name it now has.
    /// - Throws: an error of `rename(2)` when the file cannot be moved (nothing changed then).
    @discardableResult
    static func move(_ url: URL, name: String, message: String, into folder: URL) throws -> String {
        try naming.withLock { _ in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let chosen = freeName(for: name, in: folder, companion: ".error")
            let target = folder.appendingPathComponent(chosen)
            guard rename(url.path, target.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            try? Data((message + "\n").utf8).write(to: folder.appendingPathComponent(chosen + ".error"))
            return chosen
        }
    }

    /// `name` if neither it nor `name + companion` exists in `folder` (as seen by `lstat`, so a
    /// dangling link counts), else `stem-2.ext`, `stem-3.ext`, …
    static func freeName(for name: String, in folder: URL, companion: String = "") -> String {
        func isFree(_ candidate: String) -> Bool {
            FileEntry(at: folder.appendingPathComponent(candidate)) == nil
                && (companion.isEmpty || FileEntry(at: folder.appendingPathComponent(candidate + companion)) == nil)
        }
        if isFree(name) { return name }
        let known = Submissions.extensionOf(name)
        let ext = known.isEmpty ? (URL(fileURLWithPath: name).pathExtension.isEmpty ? "" : "." + URL(fileURLWithPath: name).pathExtension) : known
        let stem = String(name.dropLast(ext.count))
        var number = 2
        while !isFree("\(stem)-\(number)\(ext)") { number += 1 }
        return "\(stem)-\(number)\(ext)"
    }
}
