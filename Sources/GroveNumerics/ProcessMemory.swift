import CAllocator
import Foundation

/// This process's resident memory: how much it is (Linux), and how a long-running process
/// keeps it to what it uses.
///
/// A phase allocates large transient buffers (a dataset, a gate's replay pool, evaluation
/// blocks) whose sizes vary from phase to phase. glibc serves blocks above a threshold with
/// their own mappings but raises that threshold each time such a block is freed, after which
/// blocks of that size come from heaps whose freed pages it keeps: resident memory then grows
/// with every phase although the live data do not. Grove fixes the threshold at start and trims
/// the heaps after each phase.
///
/// Fixing that threshold also leaves glibc's trim threshold at its default of 128 KiB: a heap
/// then hands the pages of every freed block at its top back to the system, and the next
/// request's block of the same size faults them in again, zeroed. For a daemon answering
/// 256-row predictions (800 KB bodies) that cost 15 % of its throughput, so the heaps keep
/// up to twice the mapping threshold free, as glibc's own adaptive rule would.
public enum ProcessMemory {
    /// Blocks at least this large are mapped on their own and returned to the system when freed.
    public static let largeBlockBytes = 8 << 20

    /// Free memory each heap keeps at its top for the next blocks rather than returning it.
    public static let keptFreeTopBytes = 2 * largeBlockBytes

    /// Fixes the allocator's thresholds for separately mapped blocks and for returning a heap's
    /// free top; call once at start.
    public static func configure() {
        _ = grove_allocator_map_large_blocks(largeBlockBytes)
        _ = grove_allocator_keep_free_top(keptFreeTopBytes)
    }

    /// Returns freed heap memory to the system (after a phase).
    public static func trim() {
        _ = grove_allocator_trim()
    }

    /// Resident set size now (`VmRSS`) and its peak (`VmHWM`), in MiB; `nil` where
    /// `/proc/self/status` is unreadable or lacks them.
    public static func resident() -> (current: Double, peak: Double)? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        var fields: [String: Double] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            guard parts.count == 3, parts[2] == "kB", let kB = Double(parts[1]) else { continue }
            fields[String(parts[0])] = kB / 1024
        }
        guard let current = fields["VmRSS"], let peak = fields["VmHWM"] else { return nil }
        return (current, peak)
    }

    /// Sets the peak (`VmHWM`) back to the current resident size, by writing `5` to
    /// `/proc/self/clear_refs` (Linux 4.0 and later).
    /// - Returns: whether the kernel took it.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }
}
