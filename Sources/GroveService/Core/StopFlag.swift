import Synchronization

/// A flag that async code raises and a long synchronous computation polls between steps.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Asks the computation to stop.
    func raise() { raised.store(true, ordering: .relaxed) }

    /// Whether a stop was asked for.
    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
