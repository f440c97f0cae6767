import Synchronization

/// The share of a phase done, written by the training thread and read by the task that records
/// it in the store.
final class ProgressShare: Sendable {
    private let bits = Atomic<UInt64>(0)

    /// Records `share` (0…1).
    func record(_ share: Double) { bits.store(share.bitPattern, ordering: .relaxed) }

    /// The latest share recorded.
    var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }

    /// Starts a task that reads the share every `interval` and passes it to `deliver` whenever it
    /// has risen by at least 0.01 since the last delivery, until the task is cancelled. Cancel and
    /// await it before writing an outcome, so that no progress lands after it.
    func relay(every interval: Duration, to deliver: @escaping @Sendable (Double) async -> Void) -> Task<Void, Never> {
        Task {
            var delivered = 0.0
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { break }
                let now = value
                if now >= delivered + 0.01 {
                    delivered = now
                    await deliver(now)
                }
            }
        }
    }
}
