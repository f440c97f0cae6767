import Foundation
import GroveStore

/// The directory a daemon owns: `grove.sqlite`, stored uploads under `datasets/`, the
/// watched `inbox/` with its `failed/` folder and its `journal/`, `incoming/` for uploads,
/// `daemon.lock` (see ``HomeLock``) and `daemon.json` while a daemon serves it.
public struct GroveHome: Sendable, Equatable {
    /// The home directory.
    public let root: URL

    /// A home at `path`; nothing is created until `prepare()`.
    public init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true)
    }

    /// The default home: `$GROVE_HOME`, else `~/.grove`.
    public static var defaultPath: String {
        if let env = ProcessInfo.processInfo.environment["GROVE_HOME"], !env.isEmpty { return env }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".grove").path
    }

    /// The store's database file.
    public var database: URL { root.appendingPathComponent(SQLiteStore.fileName) }
    /// Where a running daemon says how to reach it (see ``DaemonFile``).
    public var daemonFile: URL { root.appendingPathComponent("daemon.json") }
    /// Locked by the process that serves the home; holds its process id (see ``HomeLock``).
    public var lockFile: URL { root.appendingPathComponent("daemon.lock") }
    /// Where uploaded files and dataset specs are kept, by content hash.
    public var datasets: URL { root.appendingPathComponent("datasets", isDirectory: true) }
    /// Files dropped here are submitted.
    public var inbox: URL { root.appendingPathComponent("inbox", isDirectory: true) }
    /// Inbox files whose job failed, each with a `.error` file beside it.
    public var failedInbox: URL { inbox.appendingPathComponent("failed", isDirectory: true) }
    /// Scratch space for uploads in progress (same file system, so a rename is atomic).
    public var incoming: URL { root.appendingPathComponent("incoming", isDirectory: true) }
    /// Files taken from the inbox but not yet queued, in a folder per model
    /// (`journal/<model>/<name>`, created when needed): what a crash interrupted goes back to
    /// the inbox at the next start (see ``InboxWatcher``).
    public var inboxJournal: URL { root.appendingPathComponent("journal", isDirectory: true) }

    /// Creates every directory.
    /// - Throws: `ServiceError.unusableHome`.
    public func prepare() throws {
        do {
            for dir in [root, datasets, inbox, failedInbox, incoming] {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            }
        } catch {
            throw ServiceError.unusableHome(path: root.path, reason: error.localizedDescription)
        }
    }
}
