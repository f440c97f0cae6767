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
        guard SHA256Hex.isValid(sha256) else {
            throw StoreError.invalidArgument("blob name must be 64 lowercase hex digits")
        }
        let stored = try await read { db -> (encoding: String, bytes: Data)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT encoding, data FROM blobs WHERE sha256 = ?", arguments: [sha256]) else {
                return nil
            }
            return (row["encoding"], row["data"])
        }
        guard let stored else {
            throw StoreError.blobNotFound(sha256: sha256)
        }
        let data = try BlobCodec.decode(stored.bytes, encoding: stored.encoding, sha256: sha256)
        let actual = SHA256Hex.digest(data)
        guard actual == sha256 else {
            throw StoreError.blobCorrupted(sha256: sha256, actual: actual)
        }
        return data
    }
}
