import Foundation
import GroveStore
import HummingbirdTesting
import Testing
@testable import GroveService

/// The read routes answer from what they computed last while the store is unchanged, and
/// anew as soon as anything is committed, also by another process.
struct HTTPAnswerCacheTests {
    @Test func aCommitByAnotherConnectionShowsInTheNextAnswer() async throws {
        try await HTTPFixture.withRouter { client, fixture in
            let before = try await client.send(.get, "/v1/status").decoded(APIStatus.self)
            #expect(before.jobs["queued"] == 0)
            #expect(try await client.send(.get, "/v1/status").decoded(APIStatus.self) == before)
            // Another process (a CLI, another worker) queues a job of model default directly.
            let other = try SQLiteStore.open(path: fixture.home.database.path)
            _ = try await other.enqueue(JobRequest(model: "default", datasetSHA256: String(repeating: "ab", count: 32), source: "x.csv"))
            try other.close()
            let after = try await client.send(.get, "/v1/status").decoded(APIStatus.self)
            #expect(after.jobs["queued", default: 0] + after.jobs["running", default: 0] + after.jobs["failed", default: 0] == 1, "\(after.jobs)")
        }
    }
}
