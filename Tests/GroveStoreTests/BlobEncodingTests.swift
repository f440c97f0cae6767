import Foundation
import GRDB
@testable import GroveStore
import Testing

/// A replay-like payload: Float32 pixels, half of them 0, the rest k/255.
private func imageLikeFloats(count: Int) -> Data {
    var values = [Float](repeating: 0, count: count)
    var state: UInt64 = 0x9E37_79B9
    for i in 0..<count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        if (state >> 33) & 1 == 1 { values[i] = Float((state >> 40) % 255 + 1) / 255 }
    }
    return values.withUnsafeBytes { Data($0) }
}

private func storedForm(_ subject: StoreUnderTest, _ sha: String) async throws -> (encoding: String, size: Int) {
    let encoding = try #require(try await subject.texts("SELECT encoding FROM blobs WHERE sha256 = '\(sha)'").first ?? nil)
    let size = try #require(try await subject.texts("SELECT CAST(size AS TEXT) FROM blobs WHERE sha256 = '\(sha)'").first ?? nil)
    return (encoding, try #require(Int(size)))
}

@Suite struct BlobEncodingTests {
    @Test(arguments: Backend.allCases) func largeDataBlobsAreStoredDeflatedAndReadBackExactly(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            let payload = imageLikeFloats(count: 300_000)
            let sha = try await store.putBlob(payload, kind: .replay)
            #expect(sha == SHA256Hex.digest(payload), "the name is the payload's hash, not the stored bytes'")
            let stored = try await storedForm(subject, sha)
            #expect(stored.encoding == "deflate")
            #expect(stored.size * 3 < payload.count, "\(stored.size) stored bytes for \(payload.count)")
            #expect(try await store.blob(sha256: sha) == payload)
        }
    }

    @Test(arguments: Backend.allCases) func weightsAndSmallOrIncompressibleBlobsStayAsTheyAre(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            let weights = try await store.putBlob(imageLikeFloats(count: 300_000), kind: .weights)
            #expect(try await storedForm(subject, weights).encoding == "identity")
            let small = try await store.putBlob(imageLikeFloats(count: 100), kind: .split)
            #expect(try await storedForm(subject, small).encoding == "identity")
            // A chunk of rows, read in every phase: up to 1 MiB stays plain for fast reads.
            let chunk = try await store.putBlob(imageLikeFloats(count: (1 << 20) / 4), kind: .replay)
            #expect(try await storedForm(subject, chunk).encoding == "identity")
            var state: UInt64 = 1
            let noise = Data((0..<1_500_000).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 56)
            })
            let random = try await store.putBlob(noise, kind: .signature)
            #expect(try await storedForm(subject, random).encoding == "identity")
            #expect(try await store.blob(sha256: random) == noise)
        }
    }

    @Test(arguments: Backend.allCases) func aBrokenDeflateStreamIsAOneLineError(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            let sha = try await store.putBlob(imageLikeFloats(count: 300_000), kind: .split)
            // Same length (the size check holds), garbage after the length header.
            try await subject.zeroBlob(sha, after: 8)
            let error = await #expect(throws: StoreError.self) { _ = try await store.blob(sha256: sha) }
            #expect(error == .blobUndecodable(sha256: sha, reason: "its deflate stream does not inflate"))
            #expect(error?.description.split(separator: "\n").count == 1)
        }
    }

    @Test func aStoreOfTheFirstSchemaIsMigratedAndItsBlobsStillRead() async throws {
        let home = try makeTemporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let payload = imageLikeFloats(count: 20_000)
        let sha = SHA256Hex.digest(payload)
        let old = try DatabaseQueue(path: home.appendingPathComponent(SQLiteStore.fileName).path)
        try await old.write { db in
            try db.execute(sql: StoreSchema.v1)
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1')")
            try db.execute(sql: "INSERT INTO blobs (sha256, kind, size, data, created_at) VALUES (?, 'replay', ?, ?, 'then')",
                           arguments: [sha, payload.count, payload])
        }
        try old.close()
        let store = try SQLiteStore.open(home: home)
        let subject = StoreUnderTest(store: store, backend: .sqlite, home: home)
        #expect(try await storedForm(subject, sha).encoding == "identity")
        #expect(try await store.blob(sha256: sha) == payload)
        let again = try await store.putBlob(imageLikeFloats(count: 300_000), kind: .replay)
        #expect(try await storedForm(subject, again).encoding == "deflate")
        #expect(try await store.integrityCheck() == ["ok"])
        try store.close()
    }
}
