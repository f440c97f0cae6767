import Foundation
import GroveData
import GroveNumerics
import GroveStore
import Logging
import ServiceLifecycle

/// Watches `$GROVE_HOME/inbox/` and submits every complete file that appears there: files in
/// the inbox itself to model `default`, files in `inbox/<model>/` to that model (any folder
/// named by the model-name rule but `failed`, which holds the rejected files).
///
/// Rules:
/// - A file is complete when its size stays the same between two looks. Hidden names
///   (starting with `.`) and names of files still being written (`*.part`, `*.partial`,
///   `*.tmp`, `*.crdownload`, `*.download`, `*~`) are ignored; write elsewhere and `mv` in.
/// - Only regular files are taken. A symbolic link (or a FIFO, socket or device) is never
///   followed or opened: it is moved, as it is, to `inbox/failed/` with a `.error` file.
/// - A rejected file goes to `inbox/failed/` with a `.error` file holding the message, under a
///   numbered name when its own is taken (see ``FailedInbox``): nothing there is overwritten.
///   When its job fails later, a copy goes there the same way.
/// - A file that can be neither submitted nor moved to `failed/` stays where it is and is left
///   alone (logged once) until it changes. A file refused for a full disk or a busy store
///   stays in the inbox and is tried again after a growing delay (see ``InboxMemory``).
/// - Taking a file first renames it into the journal, `journal/<model>/<name>` in the home; it
///   leaves the journal once its job is committed. On start, whatever a crash left in the
///   journal goes back to the inbox (``recoverJournal()``) and is submitted again; the same
///   file gives the same job, so nothing is queued twice.
public struct InboxWatcher: Service {
    let home: GroveHome
    let submissions: Submissions
    let logger: Logger
    let interval: Duration
    /// Files left alone between looks.
    let memory = InboxMemory()

    /// A watcher of `home`'s inbox, looking every `interval`.
    public init(home: GroveHome, submissions: Submissions, logger: Logger, interval: Duration = .milliseconds(500)) {
        self.home = home
        self.submissions = submissions
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        recoverJournal()
        do {
            try await cancelWhenGracefulShutdown {
                var sizes: [String: Int] = [:]
                while !Task.isCancelled {
                    sizes = await scan(previousSizes: sizes)
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: stopping is the expected outcome, not an error.
        }
    }

    /// Takes the files whose size did not change since the last look and whose hold (see
    /// ``InboxMemory``) has run out at `now`; returns the sizes seen, by path relative to the inbox.
    func scan(previousSizes: [String: Int], now: ContinuousClock.Instant = .now) async -> [String: Int] {
        var seen: [String: Int] = [:]
        var present: Set<String> = []
        for (folder, model) in watchedFolders() {
            let isRoot = folder == home.inbox
            for entry in FileEntry.list(folder) where entry.kind != .directory {
                // `failed` in the inbox itself is reserved, whatever it is.
                if isRoot, entry.name == home.failedInbox.lastPathComponent { continue }
                let key = isRoot ? entry.name : model + "/" + entry.name
                present.insert(key)
                guard !memory.isHeld(key, stamp: entry.stamp, now: now) else { continue }
                let size = Int(entry.stamp.size)
                guard entry.kind != .regular || previousSizes[key] == size else {
                    seen[key] = size
                    continue
                }
                await take(entry, at: folder.appendingPathComponent(entry.name), key: key, model: model)
            }
        }
        memory.keepOnly(present)
        return seen
    }

    /// The inbox for `default`, then each model folder in it (real directories only), with its model.
    private func watchedFolders() -> [(folder: URL, model: String)] {
        let models = FileEntry.list(home.inbox).filter { entry in
            entry.kind == .directory && entry.name != home.failedInbox.lastPathComponent && ModelName.isValid(entry.name)
        }
        return [(home.inbox, ModelName.standard)] + models.map { (home.inbox.appendingPathComponent($0.name, isDirectory: true), $0.name) }
    }

    // MARK: - Taking one file

    /// Submits the file at `url`, or moves it to `failed/` with the reason.
    private func take(_ entry: FileEntry, at url: URL, key: String, model: String) async {
        guard entry.kind == .regular else {
            let what = entry.kind == .symlink ? "a symbolic link (links are not followed; move the file itself into the inbox)"
                                              : "not a regular file"
            reject(url, entry: entry, key: key, message: "\(entry.name): \(what)")
            return
        }
        guard let format = DatasetFormat.detect(path: entry.name) else {
            reject(url, entry: entry, key: key,
                   message: "\(entry.name): unknown format; name it .csv, .jsonl or .npy (with a labels file, submit through the API)")
            return
        }
        let journaled: URL
        do {
            journaled = try journal(url, name: entry.name, model: model)
        } catch {
            hold(key, entry: entry, trouble: "cannot take the file out of the inbox: \(Self.describe(error))")
            return
        }
        // Renamed into the journal, the file is out of reach of the inbox's writers: check it again.
        guard let taken = FileEntry(at: journaled), taken.kind == .regular else {
            reject(journaled, entry: entry, key: key, message: "\(entry.name): not a regular file", returnTo: url)
            return
        }
        do {
            let result = try await submit(journaled, name: entry.name, format: format, model: model)
            memory.forget(key)
            let kept = home.incoming.appendingPathComponent("job-\(result.job.id)-" + entry.name)
            if rename(journaled.path, kept.path) != 0 { try? FileManager.default.removeItem(at: journaled) }
            let outcome = result.created ? "queued" : result.requeued ? "queued again" : "already submitted"
            logger.info("inbox file submitted", metadata: [
                "inbox.file": "\(key)", "job.model": "\(model)", "job.id": "\(result.job.id)", "job.outcome": "\(outcome)",
            ])
        } catch {
            if let transient = Self.transientTrouble(error, writing: home.incoming.path) {
                putBack(journaled, to: url, entry: entry, key: key, trouble: transient)
            } else {
                reject(journaled, entry: entry, key: key, message: (error as? any GroveError)?.description ?? "\(error)", returnTo: url)
            }
        }
    }

    /// Stores the journaled file under its content hash (a copy: the journal keeps the original
    /// for `failed/`) and queues it.
    private func submit(_ journaled: URL, name: String, format: DatasetFormat, model: String) async throws -> EnqueueResult {
        let copy = home.incoming.appendingPathComponent(UUID().uuidString + "." + Self.copyExtension)
        defer { try? FileManager.default.removeItem(at: copy) }  // gone already once stored
        do {
            try FileManager.default.copyItem(at: journaled, to: copy)
        } catch {
            throw StoreError.diskFull(from: error, writing: copy.path)
                ?? ServiceError.storeFailed(name: name, reason: error.localizedDescription)
        }
        let stored = try submissions.adopt(fileAt: copy, name: name)
        return try await submissions.submit(DatasetSpec(domain: nil, source: .init(format: format, path: stored)), model: model)
    }

    // MARK: - Refusals

    /// Moves the file at `url` to `failed/` with `message`. When that fails, puts it back at
    /// `place` (its place in the inbox, when it was journaled) and leaves it alone until it changes.
    private func reject(_ url: URL, entry: FileEntry, key: String, message: String, returnTo place: URL? = nil) {
        do {
            let name = try FailedInbox.move(url, name: entry.name, message: message, into: home.failedInbox)
            memory.forget(key)
            logger.error("inbox file rejected", metadata: ["inbox.file": "\(key)", "inbox.failed": "\(name)", "error": "\(message)"])
        } catch {
            if let place, FileEntry(at: place) != nil || rename(url.path, place.path) != 0 {
                logger.error("inbox file stuck in the journal; it goes back to the inbox at the next start",
                             metadata: ["inbox.file": "\(key)", "error": "\(message)"])
                return
            }
            hold(key, entry: entry, trouble: "\(message); and it cannot be moved to failed/: \(Self.describe(error))")
        }
    }

    /// Puts a journaled file back in the inbox after a transient failure, to be tried later.
    private func putBack(_ journaled: URL, to place: URL, entry: FileEntry, key: String, trouble: String) {
        guard FileEntry(at: place) == nil, rename(journaled.path, place.path) == 0 else {
            logger.error("inbox file kept in the journal; it goes back to the inbox at the next start",
                         metadata: ["inbox.file": "\(key)", "error": "\(trouble)"])
            return
        }
        let (delay, first) = memory.backOff(key, stamp: entry.stamp)
        let metadata: Logger.Metadata = ["inbox.file": "\(key)", "error": "\(trouble)", "inbox.retry_in": "\(delay)"]
        if first {
            logger.error("inbox file not submitted; it is tried again later", metadata: metadata)
        } else {
            logger.debug("inbox file not submitted again; waiting longer", metadata: metadata)
        }
    }

    /// Leaves a file alone until it changes, logging why the first time.
    private func hold(_ key: String, entry: FileEntry, trouble: String) {
        guard memory.holdUntilChanged(key, stamp: entry.stamp) else { return }
        logger.error("inbox file left in place until it changes", metadata: ["inbox.file": "\(key)", "error": "\(trouble)"])
    }

    /// The message of a failure that may pass by itself (a full disk, a busy store), else `nil`.
    static func transientTrouble(_ error: any Error, writing path: String) -> String? {
        if let error = error as? StoreError, error.isTransient { return error.description }
        return StoreError.diskFull(from: error, writing: path)?.description
    }

    static func describe(_ error: any Error) -> String {
        (error as? any GroveError)?.description ?? (error as NSError).localizedDescription
    }

    // MARK: - Failed jobs

    /// When a job that came from the inbox fails, moves its file to `inbox/failed/` with the message.
    static func recordFailure(of job: JobRecord, message: String, home: GroveHome) {
        let prefix = "job-\(job.id)-"
        guard let kept = try? FileManager.default.contentsOfDirectory(atPath: home.incoming.path).first(where: { $0.hasPrefix(prefix) })
        else { return }
        let name = String(kept.dropFirst(prefix.count))
        _ = try? FailedInbox.move(home.incoming.appendingPathComponent(kept), name: name, message: message, into: home.failedInbox)
    }
}
