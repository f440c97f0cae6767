import Foundation
@testable import GroveService
import GroveStore
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/jobs/{id}/retry`, a resubmitted failed spec, and the answers to a full disk and a
/// busy store.
@Suite struct HTTPRetryTests {
    /// The separable CSV with one value spoiled, so that its job fails.
    static var spoiled: String {
        var lines = TestCSV.separable().split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: ",", with: ",oops,", options: [], range: lines[3].range(of: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aFailedJobIsQueuedAgainByRetryAndByTheSameSpec() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let upload = try await client.upload(Self.spoiled, name: "bad.csv")
            let submitted = try await client.submitCSV(at: upload.path).decoded(APIJobSubmitted.self)
            let failed = try await client.waitForJob(submitted.job.id)
            #expect(failed.state == .failed && failed.attempts == 1)

            let retry = try await client.send(.post, "/v1/jobs/\(failed.id)/retry", body: "{}")
            #expect(retry.status == .accepted, "\(retry.text)")
            let queued = try retry.decoded(APIJob.self)
            #expect(queued.id == failed.id && queued.state == .queued && queued.attempts == 0 && queued.error == nil)
            #expect(try await client.waitForJob(failed.id).state == .failed)

            let again = try await client.submitCSV(at: upload.path)
            #expect(again.status == .accepted, "\(again.text)")
            let resubmitted = try again.decoded(APIJobSubmitted.self)
            #expect(!resubmitted.created && resubmitted.job.id == failed.id && resubmitted.job.state == .queued)
            #expect(try await client.waitForJob(failed.id).attempts == 1)
        }
    }

    @Test func onlyFailedOrCancelledJobsWithTheirFilesCanBeRetried() async throws {
        try await HTTPFixture.withRouter { client, fixture in
            let good = try await client.upload(TestCSV.separable(), name: "good.csv")
            let done = try await client.submitCSV(at: good.path).decoded(APIJobSubmitted.self)
            #expect(try await client.waitForJob(done.job.id).state == .succeeded)
            let succeeded = try await client.send(.post, "/v1/jobs/\(done.job.id)/retry", body: "{}")
            #expect(succeeded.status == .conflict)
            #expect(succeeded.errorMessage == "cannot retry job \(done.job.id): it is succeeded")

            let unknown = try await client.send(.post, "/v1/jobs/99/retry", body: "")
            #expect(unknown.status == .notFound && unknown.errorMessage == "job 99 not found")
            let malformed = try await client.send(.post, "/v1/jobs/x/retry", body: "{}")
            #expect(malformed.status == .badRequest && malformed.errorMessage == "path parameter 'id': 'x' is not an integer")

            let bad = try await client.upload(Self.spoiled, name: "bad.csv")
            let failed = try await client.submitCSV(at: bad.path).decoded(APIJobSubmitted.self)
            #expect(try await client.waitForJob(failed.job.id).state == .failed)
            let withBody = try await client.send(.post, "/v1/jobs/\(failed.job.id)/retry", body: #"{"now": true}"#)
            #expect(withBody.status == .badRequest && withBody.errorMessage == "the body of a retry must be empty or {}")

            // Once garbage collection has removed its spec, a retry says so.
            let spec = failed.job.source
            try FileManager.default.removeItem(atPath: spec)
            let gone = try await client.send(.post, "/v1/jobs/\(failed.job.id)/retry", body: "{}")
            #expect(gone.status == .conflict)
            let name = URL(fileURLWithPath: spec).lastPathComponent
            #expect(gone.errorMessage == "cannot retry job \(failed.job.id): its files are missing or unreadable (\(name)); submit the data again")
            #expect(try await fixture.daemon.store.job(id: failed.job.id)?.state == .failed)
        }
    }

    @Test func aFullDiskIs507AndABusyStoreIs503WithRetryAfter() {
        let full = APIError(mapping: StoreError.diskFull(reason: "database or disk is full"))
        #expect(full.status.code == 507)
        #expect(full.message == "the disk is full (database or disk is full); free some space and try again")
        let busy = APIError(mapping: StoreError.busy(reason: "database is locked"))
        #expect(busy.status == .serviceUnavailable)
        #expect(busy.headers[.retryAfter] == "2")
        #expect(busy.message == "the store is busy (database is locked); try again shortly")
    }
}
