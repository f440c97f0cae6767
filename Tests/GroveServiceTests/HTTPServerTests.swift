import Foundation
import GroveService
import Hummingbird
import HummingbirdTesting
import Testing

/// The real server on a free port, with the daemon's services in its service group.
@Suite struct HTTPServerTests {
    @Test func theLiveServerServesAndChecksTheToken() async throws {
        let fixture = try await HTTPFixture(token: "s3cret", port: 0)
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let health = try await client.send(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.text == "ok")
            #expect(try await client.send(.get, "/v1/status").status == .unauthorized)
            let upload = try await client.upload(TestCSV.separable(rows: 40), name: "live.csv", token: "s3cret")
            let first = try await client.submitCSV(at: upload.path, token: "s3cret")
            #expect(first.status == .accepted)
            let job = try await client.waitForJob(try first.decoded(APIJobSubmitted.self).job.id, token: "s3cret")
            #expect(job.state == .succeeded, "\(job.error ?? "")")
        }
    }
}
