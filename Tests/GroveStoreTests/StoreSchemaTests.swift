import Dispatch
import Foundation
import GRDB
import GroveStore
import Testing

/// The migrated database and `schemas/store.sql` describe exactly the same schema.
@Suite struct StoreSchemaTests {
    /// `schemas/store.sql`, found from this file's location in the package.
    static let schemaFile = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/store.sql")

    /// The schema objects of a database: (type, name, table, normalized SQL), sorted.
    static func schema(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: """
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name <> 'grdb_migrations' AND name NOT LIKE 'sqlite_autoindex_grdb_migrations%'
            ORDER BY type, name
            """)
        .map { row in
            let sql = (row["sql"] as String?) ?? ""
            let normalized = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return "\(row["type"] as String) \(row["name"] as String) ON \(row["tbl_name"] as String): \(normalized)"
        }
    }

    @Test func migratedDatabaseHasExactlyTheSchemaOfStoreSQL() async throws {
        let text = try String(contentsOf: Self.schemaFile, encoding: .utf8)
        let reference = try DatabaseQueue()
        let expected = try await reference.write { db in
            try db.execute(sql: text)
            return try Self.schema(db)
        }
        try await withTemporarySQLiteStore { store, _ in
            let migrated = try await store.database.read { db in try Self.schema(db) }
            #expect(migrated.count == expected.count)
            let onlyInFile = Set(expected).subtracting(migrated)
            let onlyInDatabase = Set(migrated).subtracting(expected)
            #expect(onlyInFile.isEmpty, "in schemas/store.sql but not migrated: \(onlyInFile.sorted())")
            #expect(onlyInDatabase.isEmpty, "migrated but not in schemas/store.sql: \(onlyInDatabase.sorted())")
            #expect(expected.contains { $0.hasPrefix("table jobs ON jobs:") })
        }
    }

    @Test func everyMigrationIsRecordedAndReopeningIsANoOp() async throws {
        let home = try makeTemporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        try SQLiteStore.open(home: home).close()
        let store = try SQLiteStore.open(home: home)
        let applied = try await store.database.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(applied == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8"])
        #expect(try await store.integrityCheck() == ["ok"])
        try store.close()
    }

    @Test func connectionUsesWALForeignKeysAndABusyTimeout() async throws {
        try await withTemporarySQLiteStore { store, home in
            #expect(store.path == home.appendingPathComponent("grove.sqlite").path)
            let (mode, foreignKeys, timeout, synchronous) = try await store.database.write { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                    try Int.fetchOne(db, sql: "PRAGMA busy_timeout"),
                    try Int.fetchOne(db, sql: "PRAGMA synchronous")
                )
            }
            #expect(mode == "wal")
            #expect(synchronous == 2, "FULL: every commit is synced")
            #expect(foreignKeys == 1)
            #expect(timeout == 5000)
            let readerForeignKeys = try await store.database.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
            #expect(readerForeignKeys == 1)
        }
    }

    /// The reader holds its transaction on a dispatch thread of its own and the test waits for it
    /// without blocking a cooperative thread: with two cores, a blocked reader plus a long
    /// synchronous test elsewhere would otherwise leave the write's continuation no thread to
    /// resume on.
    @Test func aReaderDoesNotBlockTheWriterAndKeepsItsSnapshot() async throws {
        try await withTemporarySQLiteStore { store, _ in
            let readerStarted = DispatchSemaphore(value: 0)
            let writerDone = DispatchSemaphore(value: 0)
            let reader = Task {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, Int, Bool), any Error>) in
                    DispatchQueue(label: "grove.test.reader").async {
                        continuation.resume(with: Result {
                            try store.database.read { db in
                                let before = try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs") ?? -1
                                readerStarted.signal()
                                let writerFinished = writerDone.wait(timeout: .now() + 120) == .success
                                let after = try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs") ?? -1
                                return (before, after, writerFinished)
                            }
                        })
                    }
                }
            }
            await withCheckedContinuation { started in
                DispatchQueue.global().async {
                    readerStarted.wait()
                    started.resume()
                }
            }
            _ = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv"))
            writerDone.signal()
            let (before, after, writerFinished) = try await reader.value
            #expect(writerFinished, "the write completed while the read transaction was open")
            #expect(before == 0 && after == 0, "the reader kept its snapshot")
            #expect(try await store.jobs().count == 1)
        }
    }

    @Test func eventsAreAppendOnly() async throws {
        try await withTemporarySQLiteStore { store, _ in
            _ = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv"))
            await #expect(throws: DatabaseError.self) {
                try await store.database.write { db in try db.execute(sql: "UPDATE events SET message = 'x'") }
            }
            await #expect(throws: DatabaseError.self) {
                try await store.database.write { db in try db.execute(sql: "DELETE FROM events") }
            }
            #expect(try await store.events(jobID: nil, limit: 10).map(\.kind) == [.jobQueued])
        }
    }
}
