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

    /// A client that stops sending before its declared `Content-Length` is at fault: the
    /// request is counted as a 400, never as an internal error.
    @Test func aBodyShorterThanItsDeclaredLengthIsTheClientsFault() async throws {
        let fixture = try await HTTPFixture(port: 0)
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            let short = try RawConnection(port: port)
            short.send("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"x\": [[0.5, ")
            short.finishSending()
            #expect(await short.readToEnd().closed)
            let metrics = try await client.send(.get, "/metrics")
            let predictions = metrics.text.split(separator: "\n").filter {
                $0.hasPrefix("grove_http_requests_total{") && $0.contains(#"route="/v1/predict""#)
            }
            #expect(predictions == [#"grove_http_requests_total{method="POST",route="/v1/predict",status="400"} 1"#], "\(metrics.text)")
        }
    }
}
