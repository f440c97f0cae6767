import Foundation
import GroveService
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension GroveCLITests {
    /// What a browser page or a careless client sends to the real daemon is refused in one line,
    /// nothing is queued and the daemon stays up.
    @Suite struct HostileHTTP {
        @Test func aNonLoopbackListenAddressNeedsAToken() async throws {
            let root = try Fixtures.directory("listen")
            defer { Fixtures.remove(root) }
            let result = try await runGrove(["daemon", "--home", root.appendingPathComponent("home").path, "--listen", "0.0.0.0:0"],
                                            timeout: .seconds(30))
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr == "error: --listen 0.0.0.0: a daemon reachable from other machines needs a bearer token (--token-file FILE)\n",
                    "\(result)")
        }

        @Test func browserRequestsAndSchemaViolationsAreRefused() async throws {
            let root = try Fixtures.directory("hostile-http")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            let body = Data(#"{"spec":{"source":{"format":"csv","path":"/etc/hostname"}}}"#.utf8)
            let cases: [(headers: [String: String], body: Data, status: Int, message: String)] = [
                (["Content-Type": "text/plain"], body, 415, "POST /v1/jobs needs Content-Type application/json, not Content-Type 'text/plain'"),
                (["Content-Type": "application/json", "Origin": "http://evil.example"], body, 403,
                 "cross-origin requests are refused (Origin 'http://evil.example')"),
                (["Content-Type": "application/json", "Host": "evil.example"], body, 403,
                 "requests must be addressed to this daemon's address or localhost, not Host 'evil.example'"),
                (["Content-Type": "application/json"], Data(#"{"spec":{"limit":-1,"source":{"format":"csv","path":"/etc/hostname"}}}"#.utf8), 400,
                 "spec.limit: must be ≥ 1"),
                (["Content-Type": "application/json"], Data(count: 2 << 20), 413, "request body exceeds the limit of 1 MiB; the daemon's operator can raise it with grove daemon --max-job-bytes"),
            ]
            for (headers, body, status, message) in cases {
                guard let url = URL(string: daemon.server + "/v1/jobs") else { throw TestFailure("bad URL") }
                var request = URLRequest(url: url)
                request.httpMethod = "POST"
                for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
                let (data, response) = try await URLSession.shared.upload(for: request, from: body)
                let code = (response as? HTTPURLResponse)?.statusCode
                #expect(code == status, "\(headers)")
                let error = try? JSONDecoder().decode(APIErrorBody.self, from: data).error
                #expect(error == message, "\(headers)")
            }
            let client = try daemon.client()
            #expect(try await client.jobs().isEmpty)
            #expect(try await client.health())
            #expect(daemon.isRunning)
        }
    }
}
