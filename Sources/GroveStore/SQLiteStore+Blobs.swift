import Foundation
import GRDB

// MARK: - Content-addressed blobs

extension SQLiteStore {
    public func putBlob(_ data: Data, kind: BlobKind) async throws -> String {
        let sha256 = SHA256Hex.digest(data)
        try await write { db in
            try BlobRecord.insert(db, sha256: sha256, data: data, kind: kind, at: Date())
        }
        return sha256
    }

    public func blob(sha256: String) async throws -> Data {
        try Self.checkName(sha256)
        let stored = try await read { db in try Self.storedBlob(db, sha256: sha256) }
        return try BlobCodec.verifiedPayload(of: stored, sha256: sha256)
    }

    public func blobBlocking(sha256: String) throws -> Data {
        try Self.checkName(sha256)
        let stored: (encoding: String, bytes: Data)?
        do {
            stored = try database.read { db in try Self.storedBlob(db, sha256: sha256) }
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
        return try BlobCodec.verifiedPayload(of: stored, sha256: sha256)
    }

    private static func checkName(_ sha256: String) throws {
        guard SHA256Hex.isValid(sha256) else {
            throw StoreError.invalidArgument("blob name must be 64 lowercase hex digits")
        }
    }

    private static func storedBlob(_ db: Database, sha256: String) throws -> (encoding: String, bytes: Data)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT encoding, data FROM blobs WHERE sha256 = ?", arguments: [sha256]) else {
            return nil
        }
        return (row["encoding"], row["data"])
    }
}
