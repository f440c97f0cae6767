import Hummingbird
import Synchronization

/// A request body that throws ``APIError/tooLarge(limit:)`` once more than `limit` bytes
/// have arrived, so that nothing past the limit is kept or written.
struct BodyLimit<Base: AsyncSequence>: AsyncSequence where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let limit: Int
    /// Raised when the limit was passed; readers that wrap this sequence may hide the error.
    let exceeded: ExceededFlag

    init(_ base: Base, limit: Int, exceeded: ExceededFlag = ExceededFlag()) {
        self.base = base
        self.limit = limit
        self.exceeded = exceeded
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let limit: Int
        let exceeded: ExceededFlag
        var received = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            received += chunk.readableBytes
            guard received <= limit else {
                exceeded.raise()
                throw APIError.tooLarge(limit: limit)
            }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, exceeded: exceeded)
    }
}

extension Request {
    /// Rejects a request whose `Content-Length` already passes `limit`, before reading anything.
    /// - Throws: ``APIError/tooLarge(limit:)``.
    func checkDeclaredLength(limit: Int) throws {
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.tooLarge(limit: limit)
        }
    }
}

/// Whether a ``BodyLimit`` was passed.
final class ExceededFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .relaxed) }

    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
