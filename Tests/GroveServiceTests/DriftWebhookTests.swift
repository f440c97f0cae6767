import Foundation
@testable import GroveService
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// `--on-drift URL`: each drift event is posted as JSON, retried while the receiver fails, and
/// given up when it refuses.
@Suite struct DriftWebhookTests {
    /// What a receiver got, and how many failures it answers with before it accepts.
    final class Receiver: Sendable {
        let bodies = Mutex<[Data]>([])
        let failures: Int
        let refusal: HTTPResponse.Status

        init(failures: Int, refusal: HTTPResponse.Status = .serviceUnavailable) {
            self.failures = failures
            self.refusal = refusal
        }

        func application() -> some ApplicationProtocol {
            let router = Router()
            router.post("/hooks/drift") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                let count = self.bodies.withLock { bodies in
                    bodies.append(Data(buffer: body))
                    return bodies.count
                }
                return Response(status: count <= self.failures ? self.refusal : .noContent)
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                               logger: Logger(label: "receiver") { _ in SwiftLogNoOpLogHandler() })
        }
    }

    static let notice = DriftWebhook.Notice(
        model: "default",
        event: APIDrift.Event(id: 3, version: 5, detectedAt: Date(timeIntervalSince1970: 1_700_000_000), firstWindow: 79, lastWindow: 81,
                              statistic: 0.07, pValue: 0.005, nearestDomain: "bag-boot", rows: 768, features: 784),
        rows: "/v1/models/default/drift/3/rows")

    static func webhook(port: Int?, attempts: Int = 4) throws -> DriftWebhook {
        var settings = DriftWebhook.Settings(url: "http://127.0.0.1:\(port ?? 0)/hooks/drift")
        settings.attempts = attempts
        settings.firstDelay = .milliseconds(20)
        settings.timeout = 5
        return try DriftWebhook(settings: settings, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    @Test func aFailingReceiverGetsTheEventOnceItRecovers() async throws {
        let receiver = Receiver(failures: 2)
        try await receiver.application().test(.live) { client in
            let delivered = await (try Self.webhook(port: client.port)).deliver(Self.notice)
            #expect(delivered)
        }
        let bodies = receiver.bodies.withLock { $0 }
        #expect(bodies.count == 3, "two failures, then the delivery")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try bodies.map { try decoder.decode(DriftWebhook.Notice.self, from: $0) } == Array(repeating: Self.notice, count: 3))
    }

    @Test func aRefusingReceiverIsNotAskedAgain() async throws {
        let receiver = Receiver(failures: 10, refusal: .badRequest)
        try await receiver.application().test(.live) { client in
            let delivered = await (try Self.webhook(port: client.port)).deliver(Self.notice)
            #expect(!delivered)
        }
        #expect(receiver.bodies.withLock { $0.count } == 1)
    }

    @Test func anUnreachableReceiverIsTriedAsOftenAsAskedThenGivenUp() async throws {
        let started = ContinuousClock.now
        // Port 9 (discard) has no listener here: every try fails at once.
        let delivered = await (try Self.webhook(port: 9, attempts: 3)).deliver(Self.notice)
        #expect(!delivered)
        #expect(ContinuousClock.now - started >= .milliseconds(60), "waits of 20 and 40 ms between the three tries")
    }

    @Test func aURLThatIsNotHTTPIsRefused() {
        #expect(throws: ClientError.self) { try DriftWebhook(settings: .init(url: "ftp://example.com/hook"), logger: Logger(label: "test")) }
    }
}
