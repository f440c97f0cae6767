import Hummingbird
import Synchronization

/// A request body that throws ``APIError/tooLarge(limit:flag:)`` once more than `limit` bytes
/// have arrived, so that nothing past the limit is kept or written.
struct BodyLimit<Base: AsyncSequence>: AsyncSequence where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let limit: Int
    /// The `grove daemon` flag that raises `limit`, named in the 413.
    let flag: String?
    /// Raised when the limit was passed; readers that wrap this sequence may hide the error.
    let exceeded: ExceededFlag

    init(_ base: Base, limit: Int, flag: String? = nil, exceeded: ExceededFlag = ExceededFlag()) {
        self.base = base
        self.limit = limit
        self.flag = flag
        self.exceeded = exceeded
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let limit: Int
        let flag: String?
        let exceeded: ExceededFlag
        var received = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            received += chunk.readableBytes
            guard received <= limit else {
                exceeded.raise()
                throw APIError.tooLarge(limit: limit, flag: flag)
            }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, flag: flag, exceeded: exceeded)
    }
}

extension Request {
    /// Rejects a request whose `Content-Length` already passes `limit`, before reading anything.
    /// - Returns: The declared length, if the request has one.
    /// - Throws: ``APIError/tooLarge(limit:flag:)`` naming `flag`.
    @discardableResult
    func checkDeclaredLength(limit: Int, flag: String? = nil) throws -> Int? {
        let declared = headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit {
            throw APIError.tooLarge(limit: limit, flag: flag)
        }
        return declared
    }
}

/// Whether a ``BodyLimit`` was passed.
final class ExceededFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .relaxed) }

    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
