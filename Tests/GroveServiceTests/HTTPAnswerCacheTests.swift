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

            // A phase this daemon commits shows in every cached view.
            let domainsBefore = try await client.send(.get, "/v1/domains").decoded([APIDomain].self)
            let upload = try await client.upload(TestCSV.separable(), name: "pets.csv")
            let submitted = try await client.submitCSV(at: upload.path, domain: "pets").decoded(APIJobSubmitted.self)
            try #require(try await client.waitForJob(submitted.job.id).state == .succeeded)
            let learned = try await client.send(.get, "/v1/status").decoded(APIStatus.self)
            #expect(learned.version == 1 && learned.domains == 1 && learned.jobs["succeeded"] == 1, "\(learned)")
            #expect(domainsBefore.isEmpty)
            #expect(try await client.send(.get, "/v1/domains").decoded([APIDomain].self).map(\.name) == ["pets"])
            #expect(try await client.send(.get, "/v1/experts").decoded([APIExpert].self).count == 1)
            #expect(try await client.send(.get, "/v1/models").decoded([APIModelSummary].self).first { $0.name == "default" }?.version == 1)
        }
    }
}
