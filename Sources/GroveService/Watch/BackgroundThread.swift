import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One thread of the idle scheduling class (`SCHED_IDLE` on Linux) that runs jobs one after
/// another, so that background statistics never take a core from a request that needs it.
///
/// Nice 19 was not enough: a request thread woken while the nice-19 thread held its core
/// waited for the scheduler's wakeup granularity, up to a few milliseconds, before it ran again,
/// which doubled the 99th percentile of one-row predictions (wrk, one connection, two cores). A
/// thread of the idle class yields its core to any other thread as soon as one wakes.
///
/// Jobs wait in a queue; ``run(_:)`` suspends its caller until its job is done. The process
/// has one (``watch``), shared by every model's watch, and it lives as long as the process.
final class BackgroundThread: Sendable {
    /// The thread of the watches' window tests.
    static let watch = BackgroundThread(name: "grove-watch")

    private typealias Job = @Sendable () -> Void

    private let jobs = Mutex<[Job]>([])
    private let available = DispatchSemaphore(value: 0)

    /// Starts the thread, named `name` for debuggers and `top -H`.
    init(name: String) {
        let thread = Thread { [self] in
            #if canImport(Glibc)
            // Linux keeps scheduling attributes per thread, and `0` names the calling thread:
            // these change this thread alone. Nice 19 stays as the fallback where the idle class
            // is refused.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            var parameters = sched_param()
            parameters.sched_priority = 0
            _ = sched_setscheduler(0, Self.idleClass, &parameters)
            #endif
            while true {
                available.wait()
                let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                job?()
            }
        }
        thread.name = name
        thread.start()
    }

    /// Linux's `SCHED_IDLE` (`<sched.h>`, where Swift's Glibc module does not export it).
    private static let idleClass: Int32 = 5

    /// CPU seconds the calling thread has used so far.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Runs `work` on the thread and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            jobs.withLock {
                $0.append { continuation.resume(with: Result { try work() }) }
            }
            available.signal()
        }
    }
}
