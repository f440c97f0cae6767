import Foundation

/// The inbox's journal, `journal/<model>/` in the home: a file taken from the inbox stays there
/// until its job is committed, so that a crash in between loses nothing.
extension InboxWatcher {
    /// Extension of the copies the watcher stores from (removed at start: one was in flight).
    static let copyExtension = "inbox"

    /// Renames the inbox file at `url` into the journal folder of `model` (under a numbered
    /// name if an earlier file of the same name is stuck there) and returns where it is now.
    /// - Throws: an error of `rename(2)`; the file is then still in the inbox.
    func journal(_ url: URL, name: String, model: String) throws -> URL {
        let folder = home.inboxJournal.appendingPathComponent(model, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(FailedInbox.freeName(for: name, in: folder))
        guard rename(url.path, target.path) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        // Make the rename durable on both sides; a failure here leaves a working journal.
        try? Submissions.flush(folder)
        try? Submissions.flush(url.deletingLastPathComponent())
        return target
    }

    /// Puts every file a crash left in the journal back into the inbox (its model's folder,
    /// under a numbered name when the inbox has a new file of that name) and removes the
    /// half-made copies of the file that was in flight. Call it before the first ``scan(previousSizes:)``.
    /// - Returns: the recovered files, by path relative to the inbox.
    @discardableResult
    func recoverJournal() -> [String] {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: home.incoming.path)) ?? [] where name.hasSuffix("." + Self.copyExtension) {
            try? fm.removeItem(at: home.incoming.appendingPathComponent(name))
        }
        var recovered: [String] = []
        let models = FileEntry.list(home.inboxJournal).filter { $0.kind == .directory && ModelName.isValid($0.name) }
        for model in models.map(\.name) {
            let journal = home.inboxJournal.appendingPathComponent(model, isDirectory: true)
            let folder = model == ModelName.standard ? home.inbox : home.inbox.appendingPathComponent(model, isDirectory: true)
            for entry in FileEntry.list(journal) {
                let name = FailedInbox.freeName(for: entry.name, in: folder)
                let key = folder == home.inbox ? name : model + "/" + name
                do {
                    try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                    guard rename(journal.appendingPathComponent(entry.name).path, folder.appendingPathComponent(name).path) == 0 else {
                        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                    }
                    recovered.append(key)
                    logger.notice("inbox file taken before a crash goes back to the inbox", metadata: ["inbox.file": "\(key)"])
                } catch {
                    logger.error("cannot put a journaled inbox file back", metadata: ["inbox.file": "\(key)", "error": "\(Self.describe(error))"])
                }
            }
        }
        return recovered
    }
}
