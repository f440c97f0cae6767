import Foundation
import GRDB

/// The embedded ``Store``: one SQLite database per home, `$GROVE_HOME/grove.sqlite`, via GRDB.
///
/// The database runs in WAL mode through a `DatabasePool`, so readers never block the
/// writer and always see the last committed state; writes are serialized. Foreign keys are
/// enforced and a busy database is retried for ``Configuration/busyTimeout`` before failing
/// with ``StoreError/busy(reason:)``, so that two processes writing the same file (the daemon
/// and a phase child) wait for each other; a full disk is ``StoreError/diskFull(reason:)``.
/// Opening migrates the schema (``StoreSchema``) to the current version.
///
/// ```swift
/// let store = try SQLiteStore.open(home: URL(filePath: "/var/lib/grove"))
/// let latest = try await store.latestModelVersion(model: "default")
/// ```
///
/// - warning: Open one `SQLiteStore` per process and share it; it is `Sendable`.
public final class SQLiteStore: Store {
    /// How the database connection is set up.
    public struct Configuration: Sendable {
        /// How long the writer waits for another process's lock before failing. Default 5 s.
        /// (Readers rarely wait in WAL mode; GRDB gives them 10 s for the rare cases.)
        public var busyTimeout: TimeInterval = 5
        /// Open read-only (no migration, no writes). Default `false`.
        public var readonly = false
        /// Readers the pool may open at once. Default 5.
        public var maximumReaderCount = 5

        /// The default configuration.
        public init() {}
    }

    /// The database file name inside a home.
    public static let fileName = "grove.sqlite"

    /// The underlying pool: an escape hatch for tooling and tests. Use the ``Store`` methods.
    public let database: DatabasePool

    /// The path of the database file.
    public var path: String { database.path }

    /// A connection of its own that only reads `PRAGMA data_version`, which changes when any
    /// other connection (the pool's writer, another process) commits.
    private let stampConnection: DatabaseQueue

    private init(database: DatabasePool, stampConnection: DatabaseQueue) {
        self.database = database
        self.stampConnection = stampConnection
    }

    /// Opens (creating if needed) the store of a Grove home, `home/grove.sqlite`.
    /// - Throws: ``StoreError/cannotOpen(path:reason:)``.
    public static func open(home: URL, configuration: Configuration = Configuration()) throws -> SQLiteStore {
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path: home.path, reason: error.localizedDescription)
        }
        return try open(path: home.appendingPathComponent(fileName).path, configuration: configuration)
    }

    /// Opens (creating if needed) and migrates the database file at `path`; a read-only open
    /// migrates nothing and refuses a database whose schema is not this version's.
    /// - Throws: ``StoreError/cannotOpen(path:reason:)``, or ``StoreError/diskFull(reason:)`` /
    ///   ``StoreError/busy(reason:)`` when the migration could not write.
    public static func open(path: String, configuration: Configuration = Configuration()) throws -> SQLiteStore {
        var config = GRDB.Configuration()
        config.foreignKeysEnabled = true
        config.readonly = configuration.readonly
        config.busyMode = .timeout(configuration.busyTimeout)
        config.maximumReaderCount = max(1, configuration.maximumReaderCount)
        config.label = "grove.store"
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            if !configuration.readonly {
                // GRDB opens WAL with synchronous = NORMAL, which may lose the last commits on
                // power failure; an acknowledged submission or phase must survive it, so the
                // (single, long-lived) writer connection syncs every commit.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            }
            if configuration.readonly {
                // A read-only store cannot be migrated: one of an older schema would be read
                // with columns missing, and one of a newer Grove with columns unknown.
                let (completed, superseded) = try pool.read { db in
                    (try StoreSchema.migrator.hasCompletedMigrations(db), try StoreSchema.migrator.hasBeenSuperseded(db))
                }
                if superseded {
                    throw StoreError.cannotOpen(path: path, reason: "a newer version of Grove wrote it; use that version")
                }
                if !completed {
                    throw StoreError.cannotOpen(path: path, reason: "its schema is older than this Grove's and a read-only open cannot upgrade it; start `grove daemon` on the home once")
                }
            } else {
                // Asked on the writer: a reader opened before the migration would keep the old
                // schema's column lists for `SELECT *`.
                if try pool.writeWithoutTransaction({ db in try StoreSchema.migrator.hasBeenSuperseded(db) }) {
                    throw StoreError.cannotOpen(path: path, reason: "a newer version of Grove wrote it; use that version")
                }
                try StoreSchema.migrator.migrate(pool)
            }
            var stampConfig = GRDB.Configuration()
            stampConfig.readonly = true
            stampConfig.busyMode = .timeout(configuration.busyTimeout)
            stampConfig.label = "grove.store.stamp"
            return SQLiteStore(database: pool, stampConnection: try DatabaseQueue(path: path, configuration: stampConfig))
        } catch let error as DatabaseError {
            let mapped = StoreError(error)
            if mapped.isTransient { throw mapped }
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// The result of `PRAGMA integrity_check` followed by `PRAGMA foreign_key_check`:
    /// `["ok"]` when the file and every reference are sound, else one line per problem.
    public func integrityCheck() async throws -> [String] {
        try await StoreError.mapping {
            try await database.read { db in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
                    "foreign key violation in \(row[0] as String? ?? "?") row \(row[1] as Int64? ?? -1)"
                }
                return integrity == ["ok"] && foreignKeys.isEmpty ? ["ok"] : integrity.filter { $0 != "ok" } + foreignKeys
            }
        }
    }

    /// Closes the connections; later calls fail. Also happens when the store is released.
    public func close() throws {
        try database.close()
        try stampConnection.close()
    }

    /// A consistent copy of the whole store written to `path` (SQLite's online backup, while
    /// other connections go on), opened: for measurements that must not write to the original.
    /// - Throws: ``StoreError/cannotOpen(path:reason:)``.
    public func copy(to path: String) async throws -> SQLiteStore {
        do {
            let target = try DatabaseQueue(path: path)
            try database.backup(to: target)
            try target.close()
        } catch {
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
        return try Self.open(path: path)
    }

    /// SQLite's `data_version` as seen by a connection that never writes: it changes with
    /// every commit of the pool's writer or of another process.
    public func changeStamp() async throws -> Int64? {
        try await StoreError.mapping {
            try stampConnection.inDatabase { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") }
        }
    }

    // MARK: - Helpers for the conformance

    /// Runs a write transaction, mapping errors to ``StoreError``.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await StoreError.mapping { try await database.write(updates) }
    }

    /// Runs a read, mapping errors to ``StoreError``.
    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await StoreError.mapping { try await database.read(value) }
    }
}

extension Database {
    /// Appends an audit-log entry.
    func appendEvent(kind: EventKind, message: String, jobID: Int64?, versionID: Int64? = nil, at date: Date) throws {
        _ = try EventRecord(id: 0, createdAt: date, kind: kind, message: message, jobID: jobID,
                            modelVersionID: versionID).insertNumbered(self)
    }
}
