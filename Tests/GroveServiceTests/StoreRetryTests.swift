import Foundation
@testable import GroveService
import GroveStore
import GroveTestSupport
import Logging
import Synchronization
import Testing

/// The job runner treats a refusing database as a passing condition, never as fatal.
@Suite struct StoreRetry {
    private func runner() throws -> (JobRunner, TemporaryDirectory) {
        let temp = try TemporaryDirectory(prefix: "grove-retry")
        let home = GroveHome(path: temp.path)
        try home.prepare()
        let store = try SQLiteStore.open(home: home.root)
        let runner = JobRunner(store: store, hosts: try ModelHosts(store: store, config: .init()), home: home,
                               access: try DataAccess(home: home), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        return (runner, temp)
    }

    @Test func aBusyOrFullDatabaseIsRetriedUntilItAnswers() async throws {
        let (runner, temp) = try runner()
        defer { _ = temp }
        let tries = Atomic<Int>(0)
        let value = try await runner.retryingStore("test") {
            let attempt = tries.add(1, ordering: .relaxed).newValue
            if attempt == 1 { throw StoreError.busy(reason: "database is locked") }
            if attempt == 2 { throw StoreError.diskFull(reason: "database or disk is full") }
            return attempt
        }
        #expect(value == 3)
    }

    @Test func aRefusalByTheStoresRulesIsNotRetried() async throws {
        let (runner, temp) = try runner()
        defer { _ = temp }
        let tries = Atomic<Int>(0)
        await #expect(throws: StoreError.invalidJobTransition(id: 1, from: .cancelled, operation: "fail")) {
            try await runner.retryingStore("test") { () async throws -> Int in
                tries.add(1, ordering: .relaxed)
                throw StoreError.invalidJobTransition(id: 1, from: .cancelled, operation: "fail")
            }
        }
        #expect(tries.load(ordering: .relaxed) == 1)
        #expect(!StoreError.database(code: 19, message: "constraint failed").isTransient)
        #expect(StoreError.database(code: 10 | (3 << 8), message: "disk I/O error").isTransient)
    }
}
