import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GroveService

/// What a web page in the user's browser could send to the loopback daemon is refused.
struct HTTPCrossSiteTests {
    @Test func writesWithABodyTypeAPageMaySendUnaskedAre415() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let spec = #"{"spec":{"source":{"format":"csv","path":"/no/such.csv"}}}"#
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "TEXT/PLAIN; charset=utf-8"] {
                let response = try await client.send(.post, "/v1/jobs", body: spec, headers: [.contentType: type])
                #expect(response.status == .unsupportedMediaType, "\(type)")
                #expect(response.errorMessage?.contains("needs Content-Type application/json") == true, "\(type)")
            }
            let upload = try await client.send(.post, "/v1/files?name=a.csv", body: "a,label\n1,x\n", headers: [.contentType: "text/plain"])
            #expect(upload.status == .unsupportedMediaType)
            // The same body as JSON reaches the route (which then refuses a file outside the uploads).
            let json = try await client.send(.post, "/v1/jobs", body: spec)
            #expect(json.status == .forbidden && json.errorMessage?.contains("spec.source.path: /no/such.csv is outside") == true)
        }
    }

    @Test func aRequestAddressedToAnotherNameIs403AndLoopbackNamesPass() async throws {
        let guardian = CrossSiteGuardMiddleware<BasicRequestContext>(listenHost: "127.0.0.1")
        let rebound = guardian.refusal(method: .get, path: "/v1/status", authority: "attacker.example:7878", contentType: nil)
        #expect(rebound?.status == .forbidden)
        #expect(rebound?.message.contains("Host 'attacker.example:7878' is not a loopback name") == true)
        for host in ["localhost:7878", "127.0.0.1", "[::1]:7878", "LOCALHOST", nil] {
            #expect(guardian.refusal(method: .get, path: "/v1/status", authority: host, contentType: nil) == nil, "\(host ?? "no Host")")
        }
        let anywhere = CrossSiteGuardMiddleware<BasicRequestContext>(listenHost: "0.0.0.0")
        #expect(anywhere.refusal(method: .get, path: "/v1/status", authority: "grove.example:7878", contentType: nil) == nil)
        // Through the router (which addresses requests to localhost) a read passes.
        try await HTTPFixture.withRouter { client, _ in
            let status = try await client.send(.get, "/v1/status").status
            #expect(status == .ok)
        }
    }

    @Test func hostNamesAndMediaTypesAreReadWithoutPortsOrParameters() {
        typealias Guard = CrossSiteGuardMiddleware<BasicRequestContext>
        #expect(Guard.hostName("[::1]:7878") == "::1" && Guard.hostName("Example.COM:80") == "example.com")
        #expect(Guard.mediaType(" Application/JSON ; charset=utf-8") == "application/json")
        #expect(Guard(listenHost: "0.0.0.0").loopbackOnly == false && Guard(listenHost: "127.0.0.1").loopbackOnly)
    }
}
