import Dispatch

/// Wall-clock timing from the monotonic clock, for phase timings and benchmarks.
public enum Stopwatch {
    /// Nanoseconds since an arbitrary fixed point.
    public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Seconds taken by `body`.
    public static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return Double(now() - start) / 1e9
    }
}
