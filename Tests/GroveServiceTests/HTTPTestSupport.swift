import Foundation
import GroveLearning
import GroveService
import GroveTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A daemon in a temporary home with a tiny learner, and the HTTP application over it.
struct HTTPFixture {
    let home: GroveHome
    let daemon: GroveDaemon
    let configuration: GroveHTTPConfiguration

    /// Settings that keep a phase well under a second in debug builds.
    static var tinyConfig: LifelongConfig {
        .forTests(hidden: 8, expertEpochs: 1, gateSteps: 5, replayPerDomain: 50, detectorSamples: 16, permutations: 20)
    }

    static let quietLogger = Logger(label: "grove.http.test") { _ in SwiftLogNoOpLogHandler() }

    init(token: String? = nil, maxBodySize: Int = 512 << 20, port: Int = 0,
         configure: (inout GroveHTTPConfiguration) -> Void = { _ in }) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grove-http-\(UUID().uuidString)")
        home = GroveHome(path: root.path)
        daemon = try await GroveDaemon.open(home: home, config: Self.tinyConfig, logger: Self.quietLogger,
                                            pollInterval: .milliseconds(20))
        var configuration = GroveHTTPConfiguration(host: "127.0.0.1", port: port, token: token, maxBodySize: maxBodySize)
        // A parallel test run on two cores can hold a live client's next request back for more
        // than the served defaults (10 s for a head, 30 s idle), and the test client does not
        // reconnect. Tests of the timeouts set their own.
        configuration.readTimeout = .seconds(300)
        configuration.idleTimeout = .seconds(300)
        configure(&configuration)
        self.configuration = configuration
    }

    /// The application under test.
    func application() -> some ApplicationProtocol {
        makeGroveApplication(daemon: daemon, configuration: configuration, logger: Self.quietLogger)
    }

    /// Removes the temporary home.
    func remove() {
        try? FileManager.default.removeItem(at: home.root)
    }

    /// Runs `body` against the router (with the daemon's services running), then removes the home.
    static func withRouter<T: Sendable>(token: String? = nil, maxBodySize: Int = 512 << 20,
                                        configure: (inout GroveHTTPConfiguration) -> Void = { _ in },
                                        _ body: @Sendable (any TestClientProtocol, HTTPFixture) async throws -> T) async throws -> T {
        let fixture = try await HTTPFixture(token: token, maxBodySize: maxBodySize, configure: configure)
        defer { fixture.remove() }
        return try await fixture.application().test(.router) { client in try await body(client, fixture) }
    }
}

// MARK: - Data

enum TestCSV {
    /// Two well separated classes, `cat` around 0 and `dog` around 3, in `features` columns.
    static func separable(rows: Int = 120, features: Int = 4, seed: UInt64 = 7, offset: Float = 0) -> String {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        func noise() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        var lines = [(0..<features).map { "f\($0)" }.joined(separator: ",") + ",label"]
        for r in 0..<rows {
            let dog = r % 2 == 1
            let values = (0..<features).map { _ in String((dog ? 3 : 0) + offset + noise()) }
            lines.append(values.joined(separator: ",") + (dog ? ",dog" : ",cat"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV whose second row has a feature that is not a number.
    static let malformed = "f0,f1,label\n0.5,1.5,cat\n0.25,oops,dog\n"
}

// MARK: - Requests

extension TestClientProtocol {
    /// Sends a request with an optional token and JSON or raw body.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { $0 }
    }

    /// Uploads `text` as `name`; returns the stored path.
    func upload(_ text: String, name: String, token: String? = nil) async throws -> APIUpload {
        let response = try await send(.post, "/v1/files?name=\(name)", token: token, body: text,
                                      headers: [.contentType: "application/octet-stream"])
        #expect(response.status == .created, "\(response.text)")
        return try response.decoded(APIUpload.self)
    }

    /// Submits a CSV stored at `path` to `model`.
    func submitCSV(at path: String, domain: String? = nil, model: String = "default", token: String? = nil) async throws -> TestResponse {
        let domainField = domain.map { "\"domain\":\"\($0)\"," } ?? ""
        return try await send(.post, "/v1/jobs", token: token,
                              body: #"{"model":"\#(model)","spec":{\#(domainField)"source":{"format":"csv","path":"\#(path)"}}}"#)
    }

    /// The ids of the oldest 1000 jobs (one page of the largest size: every job of a test).
    func allJobIDs() async throws -> [Int64] {
        try await send(.get, "/v1/jobs?limit=1000").decoded([APIJob].self).map(\.id)
    }

    /// Polls the job until it has ended (or 60 s pass, so that a broken runner fails the test
    /// instead of hanging it); returns its last state.
    func waitForJob(_ id: Int64, token: String? = nil) async throws -> APIJob {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let job = try await send(.get, "/v1/jobs/\(id)", token: token).decoded(APIJob.self)
            if job.state.isFinal || ContinuousClock.now > deadline { return job }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension TestResponse {
    /// The body as UTF-8 text.
    var text: String { String(buffer: body) }

    /// The body decoded from JSON with ISO-8601 dates.
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }

    /// The `error` of an error answer.
    var errorMessage: String? { try? decoded(APIErrorBody.self).error }
}
