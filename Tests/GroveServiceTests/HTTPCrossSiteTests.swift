import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GroveService

/// What a web page in the user's browser could send to the daemon is refused.
struct HTTPCrossSiteTests {
    typealias Guard = CrossSiteGuardMiddleware<BasicRequestContext>

    @Test func bodiesNeedExactlyTheirRoutesType() async throws {
        try await HTTPFixture.withRouter { client, fixture in
            let spec = #"{"spec":{"source":{"format":"csv","path":"/no/such.csv"}}}"#
            let refused = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "TEXT/PLAIN; charset=utf-8",
                           "application/json-patch+json", "application/jsonx", "application/json; charset=latin1", "application/octet-stream"]
            for type in refused {
                let response = try await client.send(.post, "/v1/jobs", body: spec, headers: [.contentType: type])
                #expect(response.status == .unsupportedMediaType, "\(type)")
                #expect(response.errorMessage == "POST /v1/jobs needs Content-Type application/json, not Content-Type '\(type)'", "\(type)")
            }
            let none = try await client.execute(uri: "/v1/jobs", method: .post, headers: [:], body: ByteBuffer(string: spec)) { $0 }
            #expect(none.status == .unsupportedMediaType)
            #expect(none.errorMessage == "POST /v1/jobs needs Content-Type application/json, not no Content-Type")
            let predict = try await client.send(.post, "/v1/predict", body: #"{"x":[[1]]}"#, headers: [.contentType: "text/plain"])
            #expect(predict.status == .unsupportedMediaType)
            let upload = try await client.send(.post, "/v1/files?name=a.csv", body: "a,label\n1,x\n", headers: [.contentType: "application/json"])
            #expect(upload.status == .unsupportedMediaType)
            #expect(upload.errorMessage == "POST /v1/files needs Content-Type application/octet-stream, not Content-Type 'application/json'")
            // Nothing was stored or queued.
            #expect(try await client.allJobIDs().isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.home.incoming.path).isEmpty)
            // The same body as JSON (with or without charset) reaches the route, which refuses a
            // file outside the uploads.
            for type in ["application/json", "Application/JSON; charset=UTF-8"] {
                let json = try await client.send(.post, "/v1/jobs", body: spec, headers: [.contentType: type])
                #expect(json.status == .forbidden && json.errorMessage?.hasPrefix("spec.source.path: /no/such.csv is outside") == true, "\(type)")
            }
        }
    }

    @Test func aForeignOriginIs403AndOwnOriginsPass() async throws {
        let guardian = Guard(listenHost: "127.0.0.1", port: 7878)
        for origin in ["http://evil.example", "http://localhost:3000", "null", "file://", "http://127.0.0.1.evil.example:7878",
                       "ftp://localhost:7878", "http://localhost:7878/path"] {
            let refusal = guardian.refusal(authority: "localhost:7878", origin: origin)
            #expect(refusal?.status == .forbidden, "\(origin)")
            #expect(refusal?.message == "cross-origin requests are refused (Origin '\(origin)')", "\(origin)")
        }
        for origin in ["http://127.0.0.1:7878", "http://localhost:7878", "http://[::1]:7878", "HTTP://LOCALHOST:7878", nil] {
            #expect(guardian.refusal(authority: "localhost:7878", origin: origin) == nil, "\(origin ?? "no Origin")")
        }
        try await HTTPFixture.withRouter { client, _ in
            let body = #"{"spec":{"source":{"format":"csv","path":"/etc/hostname"}}}"#
            let response = try await client.send(.post, "/v1/jobs", body: body, headers: [.origin: "https://evil.example"])
            #expect(response.status == .forbidden)
            #expect(response.errorMessage == "cross-origin requests are refused (Origin 'https://evil.example')")
            let read = try await client.send(.get, "/v1/status", headers: [.origin: "http://evil.example"])
            #expect(read.status == .forbidden)
            #expect(try await client.allJobIDs().isEmpty)
        }
    }

    @Test func theHostMustNameTheListenAddressOrLocalhost() async throws {
        let loopback = Guard(listenHost: "127.0.0.1")
        let rebound = loopback.refusal(authority: "attacker.example:7878", origin: nil)
        #expect(rebound?.status == .forbidden)
        #expect(rebound?.message == "requests must be addressed to this daemon's address or localhost, not Host 'attacker.example:7878'")
        for host in ["localhost:7878", "127.0.0.1", "[::1]:7878", "LOCALHOST", nil] {
            #expect(loopback.refusal(authority: host, origin: nil) == nil, "\(host ?? "no Host")")
        }
        // A daemon on one non-loopback address: that address (any port form) or localhost.
        let specific = Guard(listenHost: "192.0.2.10", port: 8080)
        for host in ["192.0.2.10", "192.0.2.10:8080", "localhost:8080"] {
            #expect(specific.refusal(authority: host, origin: nil) == nil, "\(host)")
        }
        #expect(specific.refusal(authority: "grove.example:8080", origin: nil)?.status == .forbidden)
        #expect(specific.refusal(authority: "192.0.2.10:8080", origin: "http://192.0.2.10:8080") == nil)
        // On every interface any Host passes (the token is then required), but not a foreign Origin.
        let anywhere = Guard(listenHost: "0.0.0.0", port: 8080)
        #expect(anywhere.refusal(authority: "grove.example:8080", origin: nil) == nil)
        #expect(anywhere.refusal(authority: "grove.example:8080", origin: "http://evil.example")?.status == .forbidden)
        #expect(anywhere.refusal(authority: "grove.example:8080", origin: "http://localhost:8080") == nil)
        try await HTTPFixture.withRouter { client, _ in
            let status = try await client.send(.get, "/v1/status").status
            #expect(status == .ok)
        }
    }

    @Test func aDaemonReachableFromOtherMachinesNeedsAToken() throws {
        var configuration = GroveHTTPConfiguration(host: "0.0.0.0", port: 8080)
        #expect(throws: ServiceError.badInput("--listen 0.0.0.0: a daemon reachable from other machines needs a bearer token (--token-file FILE)")) {
            try configuration.check()
        }
        configuration.host = "192.0.2.10"
        #expect(throws: ServiceError.self) { try configuration.check() }
        configuration.token = "s3cret"
        try configuration.check()
        for host in ["127.0.0.1", "localhost", "::1", "127.0.0.2"] {
            try GroveHTTPConfiguration(host: host).check()
        }
        #expect(throws: ServiceError.badInput("--max-job-bytes 0: must be at least 1")) {
            try GroveHTTPConfiguration(maxJobBodySize: 0).check()
        }
    }

    @Test func mediaTypesAreReadWithoutParametersAndHostsWithoutPorts() {
        #expect(Guard.hostName("[::1]:7878") == "::1" && Guard.hostName("Example.COM:80") == "example.com")
        #expect(BodyType.mediaType(" Application/JSON ; charset=utf-8").type == "application/json")
        #expect(BodyType.matches("application/json; charset=\"UTF-8\"", expected: "application/json"))
        #expect(!BodyType.matches("application/octet-stream; charset=utf-8", expected: "application/octet-stream"))
    }
}
