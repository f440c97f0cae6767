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
        let data = try await read { db in
            try Data.fetchOne(db, sql: "SELECT data FROM blobs WHERE sha256 = ?", arguments: [sha256])
        }
        guard let data else {
            throw StoreError.blobNotFound(sha256: sha256)
        }
        let actual = SHA256Hex.digest(data)
        guard actual == sha256 else {
            throw StoreError.blobCorrupted(sha256: sha256, actual: actual)
        }
        return data
    }
}
