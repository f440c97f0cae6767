import Foundation
import GRDB
import GroveStore
import Testing

/// A full disk and a busy database are typed, transient errors that change nothing; a writer
/// waits for another process's lock up to the busy timeout.
@Suite struct StoreTroubleTests {
    /// Incompressible bytes (blobs may be stored deflated).
    static func noise(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Another connection to the store's file, allowed to keep a transaction open between accesses.
    static func lockHolder(_ home: URL) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        return try DatabaseQueue(path: home.appendingPathComponent(SQLiteStore.fileName).path, configuration: configuration)
    }

    @Test func aFullDiskIsDiskFullAndChangesNothingUntilSpaceIsFreed() async throws {
        try await withStoreUnderTest(.sqlite) { subject in
            guard let store = subject.store as? SQLiteStore else { return }
            _ = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv"))
            // SQLite answers SQLITE_FULL once the file would pass max_page_count, as on a full disk.
            try await store.database.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                try db.execute(sql: "PRAGMA max_page_count = \(pages + 2)")
            }
            let before = try await subject.tableCounts()
            let error = await #expect(throws: StoreError.self) {
                _ = try await store.putBlob(Self.noise(256 << 10), kind: .other)
            }
            guard case .diskFull(let reason)? = error else {
                Issue.record("expected diskFull, got \(String(describing: error))")
                return
            }
            #expect(error?.isTransient == true)
            #expect(error?.description == "the disk is full (\(reason)); free some space and try again")
            #expect(!(error?.description.contains("\n") ?? true))
            #expect(try await subject.tableCounts() == before, "the failed transaction left nothing behind")
            #expect(try await store.jobs().count == 1, "the store still reads")

            try await store.database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
            _ = try await store.putBlob(Self.noise(256 << 10), kind: .other)
            #expect(try await subject.tableCounts()["blobs"] == (before["blobs"] ?? 0) + 1)
        }
    }

    @Test func aWriterWaitsWhileAnotherProcessHoldsTheLock() async throws {
        let home = try makeTemporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        // A long timeout: the point is that the writer waits, however loaded the machine is.
        var patient = SQLiteStore.Configuration()
        patient.busyTimeout = 120
        let store = try SQLiteStore.open(home: home, configuration: patient)
        // Another connection to the same file stands in for another process (a phase child);
        // it lets go from a thread of its own, 400 ms after the writer started waiting.
        let other = try Self.lockHolder(home)
        try other.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        let start = ContinuousClock.now
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.4) {
            try? other.inDatabase { db in try db.execute(sql: "COMMIT") }
        }
        let result = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv"))
        #expect(result.created)
        #expect(ContinuousClock.now - start >= .milliseconds(300), "the enqueue waited for the lock")
        try other.close()
        #expect(try await store.integrityCheck() == ["ok"])
        try store.close()
    }

    @Test func aLockHeldPastTheBusyTimeoutIsBusyAndChangesNothing() async throws {
        let home = try makeTemporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        var impatient = SQLiteStore.Configuration()
        impatient.busyTimeout = 0.1
        let store = try SQLiteStore.open(home: home, configuration: impatient)
        let other = try Self.lockHolder(home)
        try other.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        let error = await #expect(throws: StoreError.self) {
            _ = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv"))
        }
        guard case .busy? = error else {
            Issue.record("expected busy, got \(String(describing: error))")
            return
        }
        #expect(error?.isTransient == true)
        #expect(error?.description.hasPrefix("the store is busy (") == true)
        try other.inDatabase { db in try db.execute(sql: "COMMIT") }
        #expect(try await store.jobs().isEmpty)
        #expect(try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv")).created)
        try other.close()
        try store.close()
    }

    @Test func fileWritesOutOfSpaceAreDiskFullAndOthersAreNot() {
        let enospc = CocoaError(.fileWriteOutOfSpace)
        #expect(StoreError.diskFull(from: enospc, writing: "/h/incoming/x") == .diskFull(reason: "cannot write /h/incoming/x"))
        #expect(StoreError.diskFull(from: POSIXError(.ENOSPC), writing: "x") != nil)
        #expect(StoreError.diskFull(from: POSIXError(.EDQUOT), writing: "x") != nil)
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue,
                              userInfo: [NSUnderlyingErrorKey: POSIXError(.ENOSPC) as NSError])
        #expect(StoreError.diskFull(from: wrapped, writing: "x") != nil)
        #expect(StoreError.diskFull(from: POSIXError(.EACCES), writing: "x") == nil)
        #expect(StoreError.diskFull(from: CocoaError(.fileNoSuchFile), writing: "x") == nil)
        #expect(!StoreError.jobNotFound(id: 1).isTransient)
    }

    @Test func writingAFileOnAFullFileSystemIsRecognised() throws {
        // /dev/full answers every write with ENOSPC (Linux).
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let error = #expect(throws: (any Error).self) {
            try Data("x".utf8).write(to: URL(fileURLWithPath: "/dev/full"))
        }
        let thrown = try #require(error)
        #expect(StoreError.diskFull(from: thrown, writing: "/dev/full") != nil, "\(thrown)")
    }
}
