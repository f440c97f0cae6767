import Synchronization

/// What the inbox watcher remembers between looks about files it could not take, so that a
/// file is never retried every second and its trouble is logged once.
///
/// A file is held by its key (path relative to the inbox) and ``FileEntry/Stamp``: replacing
/// or changing the file releases it. Two kinds of hold:
/// - until the file changes: it could be neither submitted nor moved to `failed/` (e.g. the
///   folder is not writable);
/// - for a while: the disk was full or the store busy; the delay doubles from
///   ``firstDelay`` up to ``longestDelay`` while the trouble lasts.
final class InboxMemory: Sendable {
    /// The wait after a first transient failure.
    static let firstDelay: Duration = .seconds(5)
    /// The longest wait between attempts.
    static let longestDelay: Duration = .seconds(300)

    private struct Hold {
        var stamp: FileEntry.Stamp
        /// When to try again; `nil`: not until the file changes.
        var retryAt: ContinuousClock.Instant?
        var delay: Duration
    }

    private let holds = Mutex<[String: Hold]>([:])

    /// Whether the file under `key` with `stamp` is to be left alone at `now`.
    func isHeld(_ key: String, stamp: FileEntry.Stamp, now: ContinuousClock.Instant = .now) -> Bool {
        holds.withLock { holds in
            guard let hold = holds[key], hold.stamp == stamp else { return false }
            return hold.retryAt.map { now < $0 } ?? true
        }
    }

    /// Leaves the file alone until it changes; `true` when it was not held like this before
    /// (the caller logs the trouble then, and only then).
    func holdUntilChanged(_ key: String, stamp: FileEntry.Stamp) -> Bool {
        holds.withLock { holds in
            let first = holds[key].map { $0.stamp != stamp || $0.retryAt != nil } ?? true
            holds[key] = Hold(stamp: stamp, retryAt: nil, delay: .zero)
            return first
        }
    }

    /// Leaves the file alone for a while, twice as long as last time; returns the wait and
    /// whether this is its first transient failure (the caller logs it as an error then).
    func backOff(_ key: String, stamp: FileEntry.Stamp, now: ContinuousClock.Instant = .now) -> (delay: Duration, first: Bool) {
        holds.withLock { holds in
            let previous = holds[key].flatMap { $0.stamp == stamp && $0.retryAt != nil ? $0.delay : nil }
            let delay = previous.map { min($0 * 2, Self.longestDelay) } ?? Self.firstDelay
            holds[key] = Hold(stamp: stamp, retryAt: now + delay, delay: delay)
            return (delay, previous == nil)
        }
    }

    /// Forgets every file but those under `keys` (the ones still in the inbox).
    func keepOnly(_ keys: Set<String>) {
        holds.withLock { holds in holds = holds.filter { keys.contains($0.key) } }
    }

    /// Forgets the file under `key`.
    func forget(_ key: String) {
        _ = holds.withLock { holds in holds.removeValue(forKey: key) }
    }
}
