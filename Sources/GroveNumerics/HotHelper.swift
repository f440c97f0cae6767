import Dispatch
import Foundation
import Synchronization

/// A second thread for latency-critical work that splits in two (the two experts of one
/// prediction): after each job it spins for a short while, so that the next call hands work
/// over in well under a microsecond, then sleeps until it is needed again.
///
/// Waking a sleeping thread costs tens of microseconds on a virtual machine, more than the work
/// it would take over, so ``start(_:)`` only hands work to a helper that is still spinning; a
/// sleeping helper is woken for the calls that follow when calls come in a burst (closer than
/// twice `spin`), and the caller does the whole job itself. Likewise a helper that has not
/// picked a job up within `pickup` (its core is busy with other threads) loses it again in
/// ``wait()``, and the caller does that half too: a busy machine makes a call slower, never
/// milliseconds late. A helper spins only within `spin` of its last job, so an idle process
/// costs nothing.
///
/// One caller at a time: each successful `start` is followed by `wait` before the next `start`.
public final class HotHelper: Sendable {
    private let state: State

    /// A helper thread that runs `work(argument)` for every started job.
    /// - Parameters:
    ///   - spin: how long the helper waits hot for the next job before it sleeps.
    ///   - pickup: how long a started job may wait for the helper before the caller takes it back.
    ///   - work: the helper's half of a job; it must only touch memory the caller's half does not.
    public init(spin: Duration = .microseconds(50), pickup: Duration = .microseconds(5), work: @escaping (Int) -> Void) {
        state = State(spin: spin, pickup: pickup, work: work)
        let state = state
        let thread = Thread(block: { state.run() })
        thread.name = "grove.hot-helper"
        thread.start()
    }

    deinit {
        state.stop()
    }

    /// Hands `work(argument)` to the helper if it is spinning and returns true. Otherwise (it
    /// sleeps) returns false, and the caller must do the work itself; the helper is woken for
    /// later calls when this one came in a burst.
    public func start(_ argument: Int) -> Bool {
        state.start(argument)
    }

    /// Waits until the job handed over by the last successful ``start(_:)`` has finished and
    /// returns true, or takes it back when the helper has not picked it up within `pickup` and
    /// returns false: then the caller must do that work itself.
    public func wait() -> Bool {
        state.waitForCompletion()
    }

    /// Whether the helper sleeps (the next ``start(_:)`` is refused), for tests and diagnostics.
    public var isAsleep: Bool {
        state.phase.load(ordering: .relaxed) == State.sleeping
    }

    /// Jobs the helper has run, for tests and diagnostics.
    public var completedJobs: UInt64 {
        state.completed.load(ordering: .relaxed)
    }
}

extension HotHelper {
    /// What the caller and the helper thread share. One atomic holds the whole handshake
    /// (spinning, sleeping, a job pending or running), so that a job can never be published to
    /// a helper that has just decided to sleep, nor taken back once the helper has begun it.
    /// The work closure is only called by the helper thread, between a `start` and the
    /// matching completion, while the caller waits.
    private final class State: @unchecked Sendable {
        static let spinning = 0
        static let sleeping = 1
        static let pending = 2
        static let running = 3

        let phase = Atomic<Int>(State.spinning)
        let argument = Atomic<Int>(0)
        let completed = Atomic<UInt64>(0)
        let stopping = Atomic<Bool>(false)
        /// When the caller last called `start` (uptime nanoseconds).
        let lastCall = Atomic<UInt64>(0)
        let wake = DispatchSemaphore(value: 0)
        let spin: Duration
        let pickup: Duration
        /// Twice `spin`, in nanoseconds: calls closer than this are a burst.
        let burstWindow: UInt64
        let work: (Int) -> Void

        init(spin: Duration, pickup: Duration, work: @escaping (Int) -> Void) {
            self.spin = spin
            self.pickup = pickup
            let (seconds, attoseconds) = spin.components
            burstWindow = 2 * (UInt64(max(seconds, 0)) * 1_000_000_000 + UInt64(max(attoseconds, 0) / 1_000_000_000))
            self.work = work
        }

        func start(_ value: Int) -> Bool {
            let now = DispatchTime.now().uptimeNanoseconds
            let previous = lastCall.exchange(now, ordering: .relaxed)
            argument.store(value, ordering: .relaxed)
            if phase.compareExchange(expected: State.spinning, desired: State.pending, ordering: .acquiringAndReleasing).exchanged {
                return true
            }
            // Asleep: wake it for the calls that follow (exactly one signal per sleep), but only
            // in a burst: for calls further apart than twice its spin it would only spin in vain.
            guard now &- previous < burstWindow else { return false }
            if phase.compareExchange(expected: State.sleeping, desired: State.spinning, ordering: .acquiringAndReleasing).exchanged {
                wake.signal()
            }
            return false
        }

        func waitForCompletion() -> Bool {
            let clock = ContinuousClock()
            let deadline = clock.now + pickup
            var spins = 0
            while true {
                switch phase.load(ordering: .acquiring) {
                case State.running:
                    continue
                case State.pending:
                    spins &+= 1
                    guard spins & 63 == 0, clock.now >= deadline else { continue }
                    if phase.compareExchange(expected: State.pending, desired: State.spinning, ordering: .acquiringAndReleasing).exchanged {
                        return false
                    }
                default:
                    return true
                }
            }
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
                if phase.load(ordering: .relaxed) == State.pending,
                   phase.compareExchange(expected: State.pending, desired: State.running, ordering: .acquiringAndReleasing).exchanged {
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
