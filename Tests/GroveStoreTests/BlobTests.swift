import Foundation
import GRDB
import GroveStore
import Testing

@Suite struct BlobTests {
    @Test func blobsAreNamedByTheirSHA256AndStoredOnce() async throws {
        try await withTemporaryStore { store, _ in
            let sha = try await store.putBlob(Data("abc".utf8), kind: .other)
            #expect(sha == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(try await store.putBlob(Data("abc".utf8), kind: .weights) == sha)
            #expect(try await store.blob(sha256: sha) == Data("abc".utf8))
            #expect(try await tableCounts(store)["blobs"] == 1)
            let empty = try await store.putBlob(Data(), kind: .other)
            #expect(try await store.blob(sha256: empty) == Data())
        }
    }

    @Test func aMissingBlobIsAnErrorNamingIt() async throws {
        try await withTemporaryStore { store, _ in
            let sha = String(repeating: "0", count: 64)
            await #expect(throws: StoreError.blobNotFound(sha256: sha)) {
                _ = try await store.blob(sha256: sha)
            }
        }
    }

    @Test func aCorruptedBlobIsDetectedOnRead() async throws {
        try await withTemporaryStore { store, _ in
            let original = PhaseFixture.bytes("weights", count: 4096)
            let sha = try await store.putBlob(original, kind: .weights)
            var flipped = original
            flipped[2048] ^= 0x01
            let corrupted = flipped
            try await store.database.write { db in
                try db.execute(sql: "UPDATE blobs SET data = ? WHERE sha256 = ?", arguments: [corrupted, sha])
            }
            let error = await #expect(throws: StoreError.self) {
                _ = try await store.blob(sha256: sha)
            }
            guard case .blobCorrupted(let name, let actual) = error else {
                Issue.record("expected blobCorrupted, got \(String(describing: error))")
                return
            }
            #expect(name == sha && actual != sha)
            #expect(error?.description.contains(sha) == true)
            #expect(error?.description.hasPrefix("blob \(sha) is corrupted") == true)
        }
    }

    @Test func theSchemaRejectsABlobWhoseSizeDisagrees() async throws {
        try await withTemporaryStore { store, _ in
            await #expect(throws: DatabaseError.self) {
                try await store.database.write { db in
                    try db.execute(
                        sql: "INSERT INTO blobs (sha256, kind, size, data, created_at) VALUES (?, 'other', 3, ?, 'now')",
                        arguments: [String(repeating: "1", count: 64), Data([1, 2])])
                }
            }
        }
    }
}
