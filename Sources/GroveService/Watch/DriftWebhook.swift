import Foundation
import Logging

/// Posts each drift event as JSON to an operator's URL (`grove daemon --on-drift URL`).
///
/// Delivery runs in its own tasks: the watch hands an event over and goes on, so neither
/// predictions nor window tests ever wait for the receiver. A post that fails with a network
/// error, a timeout, 408, 429 or a 5xx answer is retried after 1, 2, 4, … seconds, up to
/// ``Settings/attempts`` tries; another 4xx answer means the receiver refuses it, and it is
/// not retried. At most ``Settings/maxPending`` events are in delivery at once; beyond that
/// an event is dropped with an error in the log (it stays in the store and in `grove drift`).
/// Deliveries in progress are lost when the daemon stops.
public actor DriftWebhook {
    /// Where and how hard to try.
    public struct Settings: Sendable, Equatable {
        /// The receiver.
        public var url: String
        /// Tries per event.
        public var attempts = 6
        /// The wait before the first retry; each later wait doubles.
        public var firstDelay: Duration = .seconds(1)
        /// Seconds a post may wait for its answer.
        public var timeout: TimeInterval = 10
        /// Events in delivery at once.
        public var maxPending = 64

        /// Posting to `url` with the default retries.
        public init(url: String) {
            self.url = url
        }
    }

    /// What is posted: the model, the event as `GET /v1/models/{model}/drift` lists it, and the
    /// path of its candidate rows.
    public struct Notice: Codable, Sendable, Equatable {
        public var model: String
        public var event: APIDrift.Event
        public var rows: String

        enum CodingKeys: String, CodingKey {
            case model, event, rows
        }
    }

    private let settings: Settings
    private let client: GroveClient
    private let logger: Logger
    private var pending = 0

    /// A webhook posting to `settings.url`.
    /// - Throws: `ClientError.invalidServer` for a URL that is not http(s).
    public init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        self.client = try GroveClient(server: settings.url, timeout: settings.timeout)
        self.logger = logger
    }

    /// Starts delivering `notice` and returns at once.
    nonisolated func post(_ notice: Notice) {
        Task { await self.deliver(notice) }
    }

    /// Delivers `notice`, retrying as the type describes; returns whether the receiver took it.
    @discardableResult
    func deliver(_ notice: Notice) async -> Bool {
        let metadata: Logger.Metadata = ["model": "\(notice.model)", "drift.id": "\(notice.event.id)", "webhook": "\(settings.url)"]
        guard pending < settings.maxPending else {
            logger.error("drift webhook: too many events in delivery; this one is not posted", metadata: metadata)
            return false
        }
        pending += 1
        defer { pending -= 1 }
        let body: Data
        do {
            body = try HomeViews.json(notice)
        } catch {
            logger.error("drift webhook: cannot encode the event", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
            return false
        }
        var delay = settings.firstDelay
        for attempt in 1...max(1, settings.attempts) {
            do {
                _ = try await client.send(try client.request("POST", "", contentType: "application/json"), body: body)
                return true
            } catch ClientError.status(let code, let message) where (400..<500).contains(code) && code != 408 && code != 429 {
                logger.error("drift webhook: the receiver refused the event", metadata: metadata.merging(["status": "\(code)", "error": "\(message)"]) { a, _ in a })
                return false
            } catch {
                let reason = if case ClientError.status(let code, _) = error { "answered \(code)" } else { "\(error)" }
                guard attempt < settings.attempts else {
                    logger.error("drift webhook: giving up", metadata: metadata.merging(["attempts": "\(attempt)", "error": "\(reason)"]) { a, _ in a })
                    return false
                }
                logger.warning("drift webhook: post failed; retrying", metadata: metadata.merging(["attempt": "\(attempt)", "error": "\(reason)"]) { a, _ in a })
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
        return false
    }
}
