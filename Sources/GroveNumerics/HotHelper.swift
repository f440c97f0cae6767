import Dispatch
import Foundation
import Synchronization

/// A second thread for latency-critical work that splits in two (the two experts of one
/// prediction): after each job it spins for a short while, so that the next call hands work
/// over in well under a microsecond, then sleeps until it is needed again.
///
/// Waking a sleeping thread costs tens of microseconds on a virtual machine, more than the work
/// it would take over, so ``start(_:)`` only hands work to a helper that is still spinning; a
/// sleeping helper is woken for the calls that follow and the caller does the whole job itself.
/// A helper spins only within `spin` of its last job, so an idle process costs nothing.
///
/// One caller at a time: each successful `start` is followed by `wait` before the next `start`.
public final class HotHelper: Sendable {
    private let state: State

    /// A helper thread that runs `work(argument)` for every started job.
    /// - Parameters:
    ///   - spin: how long the helper waits hot for the next job before it sleeps.
    ///   - work: the helper's half of a job; it must only touch memory the caller's half does not.
    public init(spin: Duration = .microseconds(50), work: @escaping (Int) -> Void) {
        state = State(spin: spin, work: work)
        let state = state
        let thread = Thread(block: { state.run() })
        thread.name = "grove.hot-helper"
        thread.start()
    }

    deinit {
        state.stop()
    }

    /// Hands `work(argument)` to the helper if it is spinning and returns true; otherwise wakes
    /// it for later calls and returns false, and the caller must do the work itself.
    public func start(_ argument: Int) -> Bool {
        state.start(argument)
    }

    /// Waits until the job handed over by the last successful ``start(_:)`` has finished.
    public func wait() {
        state.waitForCompletion()
    }

    /// Jobs the helper has run, for tests and diagnostics.
    public var completedJobs: UInt64 {
        state.completed.load(ordering: .relaxed)
    }
}

extension HotHelper {
    /// What the caller and the helper thread share. One atomic holds the whole handshake
    /// (spinning, sleeping or a job pending), so that a job can never be published to a helper
    /// that has just decided to sleep. The work closure is only called by the helper thread,
    /// between a `start` and the matching completion, while the caller waits.
    private final class State: @unchecked Sendable {
        static let spinning = 0
        static let sleeping = 1
        static let pending = 2

        let phase = Atomic<Int>(State.spinning)
        let argument = Atomic<Int>(0)
        let completed = Atomic<UInt64>(0)
        let stopping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        let spin: Duration
        let work: (Int) -> Void

        init(spin: Duration, work: @escaping (Int) -> Void) {
            self.spin = spin
            self.work = work
        }

        func start(_ value: Int) -> Bool {
            argument.store(value, ordering: .relaxed)
            if phase.compareExchange(expected: State.spinning, desired: State.pending, ordering: .acquiringAndReleasing).exchanged {
                return true
            }
            // Asleep: wake it for the calls that follow (exactly one signal per sleep).
            if phase.compareExchange(expected: State.sleeping, desired: State.spinning, ordering: .acquiringAndReleasing).exchanged {
                wake.signal()
            }
            return false
        }

        func waitForCompletion() {
            while phase.load(ordering: .acquiring) == State.pending {}
        }

        func stop() {
            stopping.store(true, ordering: .releasing)
            wake.signal()
        }

        /// The helper thread: run jobs as they come, spin `spin` after each, then sleep.
        func run() {
            let clock = ContinuousClock()
            var deadline = clock.now + spin
            var spins = 0
            while !stopping.load(ordering: .relaxed) {
                if phase.load(ordering: .acquiring) == State.pending {
                    work(argument.load(ordering: .relaxed))
                    completed.wrappingAdd(1, ordering: .relaxed)
                    phase.store(State.spinning, ordering: .releasing)
                    deadline = clock.now + spin
                    continue
                }
                spins &+= 1
                guard spins & 255 == 0, clock.now >= deadline else { continue }
                // Sleep unless a job arrived meanwhile; the caller that finds it asleep sets it
                // spinning again and signals.
                if phase.compareExchange(expected: State.spinning, desired: State.sleeping, ordering: .acquiringAndReleasing).exchanged {
                    wake.wait()
                    deadline = clock.now + spin
                }
            }
        }
    }
}
