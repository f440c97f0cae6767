import Foundation
import GRDB
import GroveStore
import GroveStorePostgres
import GroveTestSupport
import Testing

/// The store backends the suite runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A store under test, with SQL access behind its API for tests that tamper with rows or count
/// them. SQL given to ``execute(_:)`` and ``texts(_:)`` must suit both backends (`CAST(x AS TEXT)`
/// for non-text columns) or be chosen per ``backend``.
struct StoreUnderTest: Sendable {
    let store: any Store
    let backend: Backend
    /// A temporary directory: the SQLite store's home, scratch space for PostgreSQL.
    let home: URL

    /// Runs one statement.
    func execute(_ sql: String) async throws {
        _ = try await texts(sql)
    }

    /// The first column of every row of `sql`, as text.
    func texts(_ sql: String) async throws -> [String?] {
        switch store {
        case let sqlite as SQLiteStore:
            try await sqlite.database.write { db in try String?.fetchAll(db, sql: sql) }
        case let postgres as PostgresStore:
            try await postgres.unsafeRows(sql)
        default:
            throw StoreError.invalidArgument("no SQL access to \(type(of: store))")
        }
    }

    /// Overwrites one byte of a stored blob (0-based `offset`), behind the store's back.
    func setByte(ofBlob sha256: String, at offset: Int, to value: UInt8) async throws {
        let hex = String(format: "%02x", value)
        try await execute(backend == .sqlite
            ? "UPDATE blobs SET data = CAST(substr(data, 1, \(offset)) || X'\(hex)' || substr(data, \(offset + 2)) AS BLOB) WHERE sha256 = '\(sha256)'"
            : "UPDATE blobs SET data = set_byte(data, \(offset), \(value)) WHERE sha256 = '\(sha256)'")
    }

    /// Replaces every byte of a stored blob after the first `kept` with zeros, keeping its length.
    func zeroBlob(_ sha256: String, after kept: Int) async throws {
        try await execute(backend == .sqlite
            ? "UPDATE blobs SET data = CAST(substr(data, 1, \(kept)) || zeroblob(size - \(kept)) AS BLOB) WHERE sha256 = '\(sha256)'"
            : "UPDATE blobs SET data = substring(data FROM 1 FOR \(kept)) || decode(repeat('00', (size - \(kept))::int), 'hex') WHERE sha256 = '\(sha256)'")
    }

    /// Row counts of every table, to prove that a failed operation changed nothing.
    func tableCounts() async throws -> [String: Int] {
        let tables = try await texts(backend == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        var counts: [String: Int] = [:]
        for case let table? in tables {
            counts[table] = Int(try await texts("SELECT CAST(count(*) AS TEXT) FROM \(table)").first.flatMap { $0 } ?? "") ?? -1
        }
        return counts
    }
}

/// Runs `body` with a fresh store of `backend` (a new SQLite home, or a new database on the
/// test PostgreSQL server), then checks that it passes ``Store/integrityCheck()`` and closes it.
func withStoreUnderTest(
    _ backend: Backend, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (StoreUnderTest) async throws -> Void
) async throws {
    let home = try makeTemporaryHome()
    defer { try? FileManager.default.removeItem(at: home) }
    let store: any Store
    switch backend {
    case .sqlite:
        store = try SQLiteStore.open(home: home)
    case .postgres:
        var configuration = PostgresStore.Configuration()
        configuration.maximumConnections = 4
        store = try await PostgresStore.open(url: try PostgresTestCluster.shared().makeDatabase(), configuration: configuration)
    }
    do {
        try await body(StoreUnderTest(store: store, backend: backend, home: home))
        let check = try await store.integrityCheck()
        #expect(check == ["ok"], "integrity check after the test", sourceLocation: sourceLocation)
    } catch {
        await close(store)
        throw error
    }
    await close(store)
}

/// Runs `body` with a fresh store of `backend` and a temporary directory (see ``withStoreUnderTest(_:sourceLocation:_:)``).
func withTemporaryStore(
    _ backend: Backend = .sqlite, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (any Store, URL) async throws -> Void
) async throws {
    try await withStoreUnderTest(backend, sourceLocation: sourceLocation) { subject in
        try await body(subject.store, subject.home)
    }
}

/// Runs `body` with a SQLite store in a fresh temporary home, for tests of SQLite itself.
func withTemporarySQLiteStore(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (SQLiteStore, URL) async throws -> Void
) async throws {
    try await withStoreUnderTest(.sqlite, sourceLocation: sourceLocation) { subject in
        guard let store = subject.store as? SQLiteStore else { return }
        try await body(store, subject.home)
    }
}

private func close(_ store: any Store) async {
    switch store {
    case let sqlite as SQLiteStore: try? sqlite.close()
    case let postgres as PostgresStore: await postgres.close()
    default: break
    }
}

/// A new empty directory under the system temporary directory.
func makeTemporaryHome() throws -> URL {
    let home = FileManager.default.temporaryDirectory
        .appendingPathComponent("grove-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    return home
}

/// A syntactically valid dataset hash derived from `n` (64 lowercase hex digits).
func fakeSHA256(_ n: Int) -> String {
    let hex = String(UInt64(truncatingIfNeeded: n), radix: 16)
    return String(repeating: "a", count: 64 - hex.count) + hex
}

/// Queues a job and claims it, ready for a phase.
func claimedJob(_ store: any Store, n: Int, model: String = "default", domain: String? = nil) async throws -> JobRecord {
    _ = try await store.enqueue(JobRequest(model: model, datasetSHA256: fakeSHA256(n), source: "data-\(n).csv", declaredDomain: domain))
    let job = try await store.claimNextJob()
    return try #require(job)
}
