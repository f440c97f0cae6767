import Foundation
import GroveService
import Hummingbird
import HummingbirdTesting
import Testing

/// The live server closes connections that hold it without sending a request, and serves at
/// most its cap of connections at once.
@Suite struct HTTPTimeoutTests {
    @Test func aHeadThatNeverEndsIsCutOffAtTheReadTimeout() async throws {
        let fixture = try await HTTPFixture(configure: { $0.readTimeout = .milliseconds(300) })
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            let slow = try RawConnection(port: port)
            slow.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            let start = ContinuousClock.now
            let (text, closed) = await slow.readToEnd()
            #expect(closed && text.isEmpty, "\(text)")
            #expect(ContinuousClock.now - start < .seconds(5))
            // A complete request on a new connection is answered.
            let quick = try RawConnection(port: port)
            quick.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let answer = await quick.readToEnd()
            #expect(answer.text.hasPrefix("HTTP/1.1 200") && answer.text.hasSuffix("ok"), "\(answer.text)")
        }
    }

    /// Run without the test framework's server, which has no connection cap, and its client,
    /// which would hold a connection of its own.
    @Test func connectionsPastTheCapWaitUntilOneCloses() async throws {
        let port = try RawConnection.freePort()
        let fixture = try await HTTPFixture(port: port, configure: { $0.maxConnections = 1; $0.readTimeout = .milliseconds(600) })
        defer { fixture.remove() }
        let server = Task { try await fixture.application().runService() }
        defer { server.cancel() }
        var holder: RawConnection?
        let deadline = ContinuousClock.now + .seconds(20)
        while holder == nil, ContinuousClock.now < deadline {
            holder = try? RawConnection(port: port)
            if holder == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let silent = try #require(holder, "the server did not start")
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        let waiting = try RawConnection(port: port)
        waiting.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        let answer = await waiting.readToEnd()
        #expect(answer.text.hasPrefix("HTTP/1.1 200"), "\(answer.text)")
        // It was served only once the silent connection had been closed by the read timeout (at
        // 600 ms after it connected; a loaded machine may start that clock before ours).
        #expect(ContinuousClock.now - start >= .milliseconds(250))
        let silentClosed = await silent.readToEnd().closed
        #expect(silentClosed)
    }
}
