import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One thread of the lowest scheduling priority (nice 19) that runs jobs one after another, so
/// that background statistics never take a core from a request that needs it.
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
            // Linux keeps a nice value per thread, and `who = 0` names the calling thread: this
            // lowers this thread alone.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
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
