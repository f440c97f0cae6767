import Foundation

/// This process's resident memory, from `/proc/self/status` (Linux).
public enum ProcessMemory {
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
