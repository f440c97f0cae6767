/// How the caller of a phase follows and stops it. Both closures are called on the training
/// thread between steps, so they must be cheap and thread-safe.
///
/// ```swift
/// let monitor = PhaseMonitor(shouldStop: { stop.isRaised }, progress: { done.store($0) })
/// try learner.learn(train: data, test: nil, monitor: monitor)
/// ```
public struct PhaseMonitor: Sendable {
    /// Polled between training steps; true stops the phase with `CancellationError` and leaves
    /// the learner as it was.
    public var shouldStop: @Sendable () -> Bool
    /// The share of the phase done, rising from 0 to 1.
    public var progress: @Sendable (Double) -> Void

    /// A monitor; by default the phase never stops early and progress goes nowhere.
    public init(shouldStop: @escaping @Sendable () -> Bool = { false }, progress: @escaping @Sendable (Double) -> Void = { _ in }) {
        self.shouldStop = shouldStop
        self.progress = progress
    }

    /// The monitor of a stage that spans `range` of the phase: its progress 0…1 is reported as
    /// the matching part of the range.
    func stage(_ range: ClosedRange<Double>) -> PhaseMonitor {
        let report = progress
        return PhaseMonitor(shouldStop: shouldStop) { share in
            report(range.lowerBound + (range.upperBound - range.lowerBound) * min(max(share, 0), 1))
        }
    }
}
