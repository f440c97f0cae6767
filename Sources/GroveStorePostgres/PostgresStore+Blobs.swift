import Foundation
import GroveStore
import PostgresNIO

// MARK: - Content-addressed blobs

extension PostgresStore {
    public func putBlob(_ data: Data, kind: BlobKind) async throws -> String {
        let sha256 = SHA256Hex.digest(data)
        let exists = try await read { connection in
            try await connection.scalar(Bool.self, "SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = \(sha256))", logger: self.logger)
        }
        guard exists != true else { return sha256 }
        let stored = BlobCodec.encode(data, kind: kind)
        try await transaction { connection in
            try await self.insertBlob(connection, sha256: sha256, stored: stored, kind: kind, at: Date())
        }
        return sha256
    }

    public func blob(sha256: String) async throws -> Data {
        guard SHA256Hex.isValid(sha256) else {
            throw StoreError.invalidArgument("blob name must be 64 lowercase hex digits")
        }
        let stored = try await read { connection -> (encoding: String, bytes: Data)? in
            let rows = try await connection.query("SELECT encoding, data FROM blobs WHERE sha256 = \(sha256)", logger: self.logger)
            for try await (encoding, bytes) in rows.decode((String, Data).self) {
                return (encoding, bytes)
            }
            return nil
        }
        return try BlobCodec.verifiedPayload(of: stored, sha256: sha256)
    }

    public func blobBlocking(sha256: String) throws -> Data {
        let result = BlockingResult<Data>()
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            do {
                result.set(.success(try await self.blob(sha256: sha256)))
            } catch {
                result.set(.failure(error))
            }
            semaphore.signal()
        }
        semaphore.wait()
        return try result.get()
    }
}

/// The result of work handed to a task, read by the thread that waited for it.
private final class BlockingResult<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error> = .failure(CancellationError())

    func set(_ value: Result<Value, any Error>) {
        lock.withLock { result = value }
    }

    func get() throws -> Value {
        try lock.withLock { result }.get()
    }
}
