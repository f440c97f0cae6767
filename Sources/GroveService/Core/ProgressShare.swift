import Synchronization

/// The share of a phase done, written by the training thread and read by the task that records
/// it in the store.
final class ProgressShare: Sendable {
    private let bits = Atomic<UInt64>(0)

    /// Records `share` (0…1).
    func record(_ share: Double) { bits.store(share.bitPattern, ordering: .relaxed) }

    /// The latest share recorded.
    var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }
}
