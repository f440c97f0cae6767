import Dispatch

/// Fork-join parallelism over the machine's cores for coarse work items (experts, row blocks).
public enum Parallel {
    /// The number of workers to split work into: the active processor count.
    public static let workerCount: Int = max(1, ProcessInfoCores.active)

    /// Runs `body(i)` for every `i` in `0..<count`, spread over the cores; returns when all ran.
    /// `body` must only touch memory that no other iteration touches.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 || workerCount == 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let work = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { work.value($0) }
        }
    }
}

/// Carries a value across the fork-join boundary of `Parallel.forEach`, whose contract (each
/// iteration touches only its own memory, and all iterations end before it returns) is what
/// makes the data-race freedom hold; the compiler cannot check it.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The number of processors this process may run on.
enum ProcessInfoCores {
    static var active: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
