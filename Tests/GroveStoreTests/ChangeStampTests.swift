import Foundation
import GroveStore
import Testing

/// The change stamp stays while nothing is committed and changes with every commit, whether
/// this store's writer or another connection to the same file (another process) made it.
@Suite struct ChangeStampTests {
    @Test func theStampFollowsCommitsFromAnyConnection() async throws {
        try await withStoreUnderTest(.sqlite) { subject in
            let store = subject.store
            let first = try #require(try await store.changeStamp())
            _ = try await store.jobCounts()
            #expect(try await store.changeStamp() == first, "a read changes nothing")

            _ = try await store.enqueue(JobRequest(model: "default", datasetSHA256: fakeSHA256(1), source: "1.csv"))
            let second = try #require(try await store.changeStamp())
            #expect(second != first, "this store's commit")

            let other = try SQLiteStore.open(home: subject.home)
            _ = try await other.enqueue(JobRequest(model: "digits", datasetSHA256: fakeSHA256(2), source: "2.csv"))
            try other.close()
            let third = try #require(try await store.changeStamp())
            #expect(third != second, "another connection's commit")
            #expect(try await store.changeStamp() == third)
        }
    }

    @Test func postgresHasNoStamp() async throws {
        try await withStoreUnderTest(.postgres) { subject in
            let stamp = try await subject.store.changeStamp()
            #expect(stamp == nil)
        }
    }
}
