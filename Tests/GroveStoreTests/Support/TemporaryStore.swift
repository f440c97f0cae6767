import Foundation
import GRDB
import GroveStore
import Testing

/// Runs `body` with a store in a fresh temporary home, then checks that the database passes
/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`, and removes the home.
func withTemporaryStore(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (SQLiteStore, URL) async throws -> Void
) async throws {
    let home = try makeTemporaryHome()
    defer { try? FileManager.default.removeItem(at: home) }
    let store = try SQLiteStore.open(home: home)
    try await body(store, home)
    let check = try await store.integrityCheck()
    #expect(check == ["ok"], "integrity check after the test", sourceLocation: sourceLocation)
    try store.close()
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

/// Row counts of every table, to prove that a failed operation changed nothing.
func tableCounts(_ store: SQLiteStore) async throws -> [String: Int] {
    try await store.database.read { db in
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """)
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1
        }
        return counts
    }
}

/// Queues a job and claims it, ready for a phase.
func claimedJob(_ store: SQLiteStore, n: Int, model: String = "default", domain: String? = nil) async throws -> JobRecord {
    _ = try await store.enqueue(JobRequest(model: model, datasetSHA256: fakeSHA256(n), source: "data-\(n).csv", declaredDomain: domain))
    let job = try await store.claimNextJob()
    return try #require(job)
}
