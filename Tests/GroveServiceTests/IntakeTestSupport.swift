import Foundation
import GRDB
import GroveService
import Logging
import Synchronization

/// A daemon (not started: its services are driven by hand) in a temporary home, for the
/// inbox, lock, retry and garbage-collection tests.
struct IntakeHome {
    let home: GroveHome
    let daemon: GroveDaemon
    let log = LogRecorder()

    init() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grove-intake-\(UUID().uuidString)")
        home = GroveHome(path: root.path)
        daemon = try await GroveDaemon.open(home: home, config: HTTPFixture.tinyConfig, logger: HTTPFixture.quietLogger)
    }

    var logger: Logger {
        let recorder = log
        return Logger(label: "grove.intake.test") { _ in recorder }
    }

    /// A watcher of the home's inbox that logs into ``log``.
    func watcher() -> InboxWatcher {
        InboxWatcher(home: home, submissions: daemon.submissions, logger: logger)
    }

    /// Writes `text` at `path` relative to the home, creating folders.
    @discardableResult
    func write(_ text: String, at path: String) throws -> URL {
        let url = home.root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Whether something (a link too) is at `path` relative to the home.
    func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(home.root.appendingPathComponent(path).path, &status) == 0
    }

    /// The names in a folder of the home, sorted.
    func names(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: home.root.appendingPathComponent(path).path)) ?? []).sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(at: home.root)
    }
}

/// A log handler that keeps every message, for checking what was logged and how often.
final class LogRecorder: LogHandler, Sendable {
    private let messages = Mutex<[(level: Logger.Level, text: String)]>([])

    /// Messages at `level` or above.
    func lines(atLeast level: Logger.Level = .trace) -> [String] {
        messages.withLock { $0.filter { $0.level >= level }.map(\.text) }
    }

    /// How many messages equal `text`.
    func count(_ text: String) -> Int {
        messages.withLock { $0.filter { $0.text == text }.count }
    }

    func log(event: LogEvent) {
        messages.withLock { $0.append((event.level, event.message.description)) }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { nil }
        set {}
    }

    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
}

/// Another connection holding the write lock of a database, as another process would.
struct GRDBLockHolder {
    private let queue: DatabaseQueue

    /// Opens the database at `path` and takes its write lock.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    }

    /// Gives the lock back and closes the connection.
    func release() throws {
        try queue.inDatabase { db in try db.execute(sql: "COMMIT") }
        try queue.close()
    }
}
