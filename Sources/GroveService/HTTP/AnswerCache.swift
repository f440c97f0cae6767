import GroveStore
import Hummingbird
import Synchronization

/// Encoded answers of the read routes that are computed from the store's rows (status, models,
/// domains, experts), kept until anything is committed to the store (``Store/changeStamp()``):
/// while nothing changes, such a request costs a look at the stamp instead of several queries
/// and an encoding. Against a store that has no stamp every answer is computed afresh.
final class AnswerCache: Sendable {
    private struct Entry {
        var stamp: Int64
        var body: ByteBuffer
    }

    private let store: any Store
    private let entries = Mutex<[String: Entry]>([:])
    /// The stamp of each refresh's last run.
    private let refreshed = Mutex<[String: Int64]>([:])

    /// A cache of answers computed from `store`.
    init(store: any Store) {
        self.store = store
    }

    /// The JSON answer `key` names: the one kept if the store has not changed since it was
    /// computed, otherwise `compute()`'s, encoded and kept.
    func json(_ key: String, _ compute: () async throws -> some Encodable & Sendable) async throws -> Response {
        guard let stamp = try await store.changeStamp() else { return try JSONBody.response(try await compute()) }
        if let kept = entries.withLock({ $0[key] }), kept.stamp == stamp { return Self.response(kept.body) }
        let body = ByteBuffer(bytes: try HomeViews.json(try await compute()))
        entries.withLock { $0[key] = Entry(stamp: stamp, body: body) }
        return Self.response(body)
    }

    /// Runs `refresh` (which brings state computed from the store up to date) unless it ran
    /// for `key` since the store last changed.
    func refresh(_ key: String, _ refresh: () async throws -> Void) async throws {
        let stamp = try await store.changeStamp()
        if let stamp, refreshed.withLock({ $0[key] }) == stamp { return }
        try await refresh()
        if let stamp { refreshed.withLock { $0[key] = stamp } }
    }

    private static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }
}
