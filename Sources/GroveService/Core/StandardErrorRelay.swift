import Foundation
import Synchronization

/// Copies a child process's standard error to this process's, on a thread of its own, and
/// keeps the first line that says why the child crashed.
final class StandardErrorRelay: Sendable {
    /// Line beginnings of the Swift runtime's and the backtracer's crash reports, an allocation
    /// failure, and OpenBLAS giving up.
    static let crashMarkers = ["Fatal error:", "*** Program crashed:", "Could not allocate memory", "OpenBLAS : Program will terminate"]
    /// The longest crash line kept (a job error is one short line).
    static let maximumLineLength = 300

    private let handle: FileHandle
    private let state = Mutex<(crashLine: String?, done: Bool, waiters: [CheckedContinuation<String?, Never>])>((nil, false, []))

    /// A relay of `handle` (the read end of the child's standard-error pipe).
    init(reading handle: FileHandle) {
        self.handle = handle
    }

    /// Starts copying until end of file.
    func start() {
        let thread = Thread { [self] in copyUntilEnd() }
        thread.name = "grove.phase.stderr"
        thread.start()
    }

    /// Waits until the child's standard error is closed; returns the crash line, if any.
    func finished() async -> String? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> String?? in
                if state.done { return .some(state.crashLine) }
                state.waiters.append(continuation)
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func copyUntilEnd() {
        var pending = Data()
        while let chunk = try? handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
            FileHandle.standardError.write(chunk)
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                note(line: pending[pending.startIndex..<newline])
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { note(line: pending[...]) }
        try? handle.close()
        let (line, waiters) = state.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return (state.crashLine, state.waiters)
        }
        for waiter in waiters { waiter.resume(returning: line) }
    }

    private func note(line bytes: Data.SubSequence) {
        guard state.withLock({ $0.crashLine == nil }) else { return }
        let line = String(decoding: bytes, as: UTF8.self)
        guard let marker = Self.crashMarkers.compactMap({ line.range(of: $0) }).first else { return }
        let text = String(line[marker.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        state.withLock { $0.crashLine = String(text.prefix(Self.maximumLineLength)) }
    }
}

/// The number of processes the kernel's out-of-memory killer has killed in this process's
/// memory cgroup, where the system says: `oom_kill` in `memory.events` (cgroup v2) or in
/// `memory.oom_control` (cgroup v1).
enum OutOfMemoryCounter {
    /// The `oom_kill` count, or nil when the cgroup's memory events cannot be read.
    static func kills() -> Int? {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        var files: [String] = []
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = fields[2] == "/" ? "" : String(fields[2])
            if fields[1] == "memory" { files.append("/sys/fs/cgroup/memory\(path)/memory.oom_control") }
            if fields[0] == "0", fields[1].isEmpty { files.append("/sys/fs/cgroup\(path)/memory.events") }
        }
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count == 2, fields[0] == "oom_kill", let count = Int(fields[1]) { return count }
            }
        }
        return nil
    }
}
