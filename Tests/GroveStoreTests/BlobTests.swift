import Foundation
import GroveStore
import Testing

@Suite struct BlobTests {
    @Test(arguments: Backend.allCases) func blobsAreNamedByTheirSHA256AndStoredOnce(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            let sha = try await store.putBlob(Data("abc".utf8), kind: .other)
            #expect(sha == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            #expect(try await store.putBlob(Data("abc".utf8), kind: .weights) == sha)
            #expect(try await store.blob(sha256: sha) == Data("abc".utf8))
            #expect(try await subject.tableCounts()["blobs"] == 1)
            let empty = try await store.putBlob(Data(), kind: .other)
            #expect(try await store.blob(sha256: empty) == Data())
        }
    }

    @Test(arguments: Backend.allCases) func aMissingBlobIsAnErrorNamingIt(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let sha = String(repeating: "0", count: 64)
            await #expect(throws: StoreError.blobNotFound(sha256: sha)) {
                _ = try await store.blob(sha256: sha)
            }
        }
    }

    @Test(arguments: Backend.allCases) func aCorruptedBlobIsDetectedOnRead(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            let original = PhaseFixture.bytes("weights", count: 4096)
            let sha = try await store.putBlob(original, kind: .weights)
            try await subject.setByte(ofBlob: sha, at: 2048, to: original[2048] ^ 0x01)
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

    @Test(arguments: Backend.allCases) func theSchemaRejectsABlobWhoseSizeDisagrees(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let bytes = backend == .sqlite ? "X'0102'" : "'\\x0102'::bytea"
            let now = backend == .sqlite ? "'now'" : "now()"
            let error = await #expect(throws: (any Error).self) {
                try await subject.execute("""
                    INSERT INTO blobs (sha256, kind, size, data, created_at)
                    VALUES ('\(String(repeating: "1", count: 64))', 'other', 3, \(bytes), \(now))
                    """)
            }
            #expect(String(describing: error).lowercased().contains("check"), "\(String(describing: error))")
        }
    }
}
