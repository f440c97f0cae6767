import Foundation
import GroveNumerics
import Synchronization

/// The lock that lets one process at a time change a home: an exclusive `flock(2)` on
/// `daemon.lock` in it, taken by `grove daemon` and `grove demo --home` (through
/// ``GroveDaemon/open(home:config:logger:isolation:dataRoots:pollInterval:)``) before anything
/// else in the home is touched.
///
/// The holder writes its process id into the file, so that a refused process can name it.
/// The kernel drops the lock when the holder's process ends in any way (even SIGKILL), so a
/// crashed daemon never blocks the next one; the file itself stays.
///
/// Within one process the lock is shared: acquiring a home this process already holds gives
/// another handle on the same lock (a test or a demo that opens its home twice), and the lock
/// is released when the last handle goes away. The descriptor is close-on-exec, so a child
/// process (a phase) never keeps the lock of a daemon that died.
public final class HomeLock: Sendable {
    /// The lock file.
    public let path: String

    /// Locks `home` (creating its directory and the lock file if needed).
    /// - Throws: ``HomeLockError/held(home:pid:)`` when another process holds it,
    ///   ``HomeLockError/unusable(path:reason:)`` when the file cannot be created or locked.
    public static func acquire(_ home: GroveHome) throws -> HomeLock {
        do {
            try FileManager.default.createDirectory(at: home.root, withIntermediateDirectories: true)
        } catch {
            throw HomeLockError.unusable(path: home.root.path, reason: error.localizedDescription)
        }
        let path = home.root.resolvingSymlinksInPath().appendingPathComponent(home.lockFile.lastPathComponent).path
        try held.withLock { locks in
            if var entry = locks[path] {
                entry.handles += 1
                locks[path] = entry
                return
            }
            locks[path] = Entry(descriptor: try lock(path: path, home: home.root.path), handles: 1)
        }
        return HomeLock(path: path)
    }

    /// The process id written in `home`'s lock file, if any: the holder's while it runs.
    public static func recordedHolder(of home: GroveHome) -> Int32? {
        guard let text = try? String(contentsOf: home.lockFile, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private init(path: String) {
        self.path = path
    }

    deinit {
        Self.held.withLock { locks in
            guard var entry = locks[path] else { return }
            entry.handles -= 1
            if entry.handles > 0 {
                locks[path] = entry
            } else {
                close(entry.descriptor)
                locks[path] = nil
            }
        }
    }

    // MARK: - The process's locks

    private struct Entry {
        var descriptor: Int32
        var handles: Int
    }

    /// The homes this process holds, by resolved lock file path.
    private static let held = Mutex<[String: Entry]>([:])

    /// Opens and locks the file at `path`, writes this process's id into it and returns the
    /// open descriptor.
    private static func lock(path: String, home: String) throws -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw HomeLockError.unusable(path: path, reason: String(cString: strerror(errno)))
        }
        var result: Int32
        repeat { result = flock(descriptor, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw HomeLockError.held(home: home, pid: recordedHolder(of: GroveHome(path: home)))
            }
            throw HomeLockError.unusable(path: path, reason: String(cString: strerror(code)))
        }
        let text = Array("\(getpid())\n".utf8)
        let written = text.withUnsafeBytes { bytes in
            ftruncate(descriptor, 0) == 0 ? pwrite(descriptor, bytes.baseAddress, bytes.count, 0) : -1
        }
        guard written == text.count else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw HomeLockError.unusable(path: path, reason: "cannot write the process id: \(reason)")
        }
        return descriptor
    }
}

/// Why a home could not be locked; each case prints as one line after `error: `.
public enum HomeLockError: GroveError, Equatable {
    /// Another process holds the home: `pid` as it wrote it in the lock file, if it did.
    case held(home: String, pid: Int32?)
    /// The lock file could not be created, locked or written.
    case unusable(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let home, let pid):
            "home \(home) is in use by another grove process (\(pid.map { "pid \($0)" } ?? "pid unknown")); stop it first or choose another --home"
        case .unusable(let path, let reason):
            "cannot lock \(path): \(reason)"
        }
    }
}
