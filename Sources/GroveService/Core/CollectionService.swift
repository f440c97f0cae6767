import Foundation
import Logging
import ServiceLifecycle

/// The daemon's garbage collection: a ``GarbageCollector`` pass at start, then one every
/// ``interval``, each removal logged. A pass that fails (a busy store) is logged and tried at
/// the next interval; it never stops the daemon.
public struct CollectionService: Service {
    /// The collector.
    public let collector: GarbageCollector
    /// Time between passes. Default one hour.
    public let interval: Duration
    let logger: Logger

    /// Passes of `collector` every `interval`.
    public init(collector: GarbageCollector, logger: Logger, interval: Duration = .seconds(3600)) {
        self.collector = collector
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await pass()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: stopping is the expected outcome, not an error.
        }
    }

    /// One pass, logged.
    func pass() async {
        do {
            let removed = try await collector.collect()
            for item in removed {
                logger.info("removed an old file", metadata: ["gc.path": "\(item.path)", "gc.bytes": "\(item.bytes)", "gc.reason": "\(item.reason)"])
            }
        } catch is CancellationError {
            return
        } catch {
            logger.error("garbage collection failed; trying again later", metadata: ["error": "\(InboxWatcher.describe(error))"])
        }
    }
}
