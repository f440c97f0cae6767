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
        state.completed.load(ordering: .acquiring)
    }
}

extension HotHelper {
    /// What the caller and the helper thread share. The work closure is only ever called by the
    /// helper thread, between a `start` and the matching completion, while the caller waits.
    private final class State: @unchecked Sendable {
        let requested = Atomic<UInt64>(0)
        let completed = Atomic<UInt64>(0)
        let argument = Atomic<Int>(0)
        let sleeping = Atomic<Bool>(false)
        let stopping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        let spin: Duration
        let work: (Int) -> Void

        init(spin: Duration, work: @escaping (Int) -> Void) {
            self.spin = spin
            self.work = work
        }

        func start(_ value: Int) -> Bool {
            if sleeping.exchange(false, ordering: .acquiringAndReleasing) {
                wake.signal()
                return false
            }
            argument.store(value, ordering: .relaxed)
            requested.wrappingAdd(1, ordering: .releasing)
            return true
        }

        func waitForCompletion() {
            let target = requested.load(ordering: .relaxed)
            while completed.load(ordering: .acquiring) != target {}
        }

        func stop() {
            stopping.store(true, ordering: .releasing)
            wake.signal()
        }

        /// The helper thread: run jobs as they come, spin `spin` after each, then sleep.
        func run() {
            let clock = ContinuousClock()
            while !stopping.load(ordering: .acquiring) {
                let deadline = clock.now + spin
                var spins = 0
                var job = false
                while true {
                    let pending = requested.load(ordering: .acquiring)
                    if pending != completed.load(ordering: .relaxed) {
                        work(argument.load(ordering: .relaxed))
                        completed.store(pending, ordering: .releasing)
                        job = true
                        break
                    }
                    spins &+= 1
                    if spins & 255 == 0, clock.now >= deadline || stopping.load(ordering: .relaxed) { break }
                }
                if job { continue }
                sleeping.store(true, ordering: .releasing)
                // A job published before `sleeping` was visible is run rather than slept over.
                if requested.load(ordering: .acquiring) != completed.load(ordering: .relaxed) {
                    if sleeping.exchange(false, ordering: .acquiringAndReleasing) { continue }
                }
                wake.wait()
            }
        }
    }
}
