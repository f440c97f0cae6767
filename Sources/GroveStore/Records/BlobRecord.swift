import Foundation
import GRDB

/// A row of `blobs`: bytes named by their SHA-256.
struct BlobRecord: Sendable, Decodable, FetchableRecord, TableRecord {
    static let databaseTableName = "blobs"

    var sha256: String
    var kind: BlobKind
    /// Bytes stored in `data`.
    var size: Int
    /// `identity` or `deflate` (see `BlobCodec`).
    var encoding: String
    /// The payload as stored.
    var data: Data
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case sha256, kind, size, encoding, data
        case createdAt = "created_at"
    }

    /// Inserts `data` (encoded as `BlobCodec` chooses) under its precomputed `sha256` unless a
    /// blob of that name exists.
    static func insert(_ db: Database, sha256: String, data: Data, kind: BlobKind, at date: Date) throws {
        // Phases hand over every domain's blobs again; only new ones are worth encoding.
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?)", arguments: [sha256]) ?? false
        guard !exists else { return }
        let stored = BlobCodec.encode(data, kind: kind)
        try db.execute(
            sql: """
                INSERT INTO blobs (sha256, kind, size, encoding, data, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (sha256) DO NOTHING
                """,
            arguments: [sha256, kind, stored.bytes.count, stored.encoding, stored.bytes, date])
    }
}
