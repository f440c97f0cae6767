import Foundation
import GRDB
@testable import GroveStore
import Testing

/// Each expert's number within its model: given by the commit or the next free one, unique per
/// model, immutable, and given to experts stored before numbers existed in creation order.
@Suite struct ExpertNumberTests {
    @Test(arguments: Backend.allCases) func numbersCountPerModelInCreationOrderOrAreTheCommitsOwn(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            var job = try await claimedJob(store, n: 1, domain: "tops")
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: job.id, domain: "tops", parents: [nil, .new(0)]))
            job = try await claimedJob(store, n: 2, model: "other", domain: "shoes")
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: job.id, domain: "shoes"))
            job = try await claimedJob(store, n: 3, domain: "bags")
            var numbered = PhaseFixture.phase(jobID: job.id, domain: "bags", parents: [nil, nil])
            numbered.experts[0].number = 7
            _ = try await store.commitPhase(numbered)

            #expect(try await store.experts(model: "default", version: nil).map(\.number) == [0, 1, 7, 8])
            #expect(try await store.experts(model: "other", version: nil).map(\.number) == [0])
        }
    }

    @Test(arguments: Backend.allCases) func aNumberTheModelHasFailsTheWholeCommit(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            var job = try await claimedJob(store, n: 1, domain: "tops")
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: job.id, domain: "tops"))
            job = try await claimedJob(store, n: 2, domain: "bags")
            var clash = PhaseFixture.phase(jobID: job.id, domain: "bags")
            clash.experts[0].number = 0
            await #expect(throws: StoreError.self) { try await store.commitPhase(clash) }
            #expect(try await store.modelVersions(model: "default").count == 1)
            #expect(try await store.job(id: job.id)?.state == .running)
            await #expect(throws: (any Error).self) {
                try await subject.execute("UPDATE experts SET number = 5")
            }
            // What a Grove from before numbers would write into this store is refused.
            await #expect(throws: (any Error).self) {
                try await subject.execute("""
                    INSERT INTO experts (model_id, domain_id, created_version_id, input_dimension, hidden_dimension,
                                         output_dimension, classes, weights_sha256, checksum, created_at)
                    SELECT model_id, domain_id, created_version_id, 4, 8, 2, '[0,1]', weights_sha256, 'c', created_at FROM experts
                    """)
            }
        }
    }

    /// A store a newer Grove migrated further is not opened at all, for writing or reading.
    @Test func aStoreANewerGroveMigratedIsRefused() async throws {
        let home = try makeTemporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let store = try SQLiteStore.open(home: home)
        try await store.database.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
        }
        try store.close()
        var readonly = SQLiteStore.Configuration()
        readonly.readonly = true
        for configuration in [SQLiteStore.Configuration(), readonly] {
            #expect {
                try SQLiteStore.open(path: home.appendingPathComponent(SQLiteStore.fileName).path, configuration: configuration)
            } throws: { error in
                guard case StoreError.cannotOpen(_, let reason) = error else { return false }
                return reason == "a newer version of Grove wrote it; use that version"
            }
        }
    }

    /// A store of schema v3 (before numbers) with two models' experts: migrating numbers them
    /// from 0 per model in creation order, as the learner did.
    @Test func migrationNumbersExpertsStoredBefore() async throws {
        let home = try makeTemporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let path = home.appendingPathComponent(SQLiteStore.fileName).path
        let old = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(old, upTo: "v3")
        try await old.write { db in
            let now = "2026-01-01 00:00:00.000"
            try db.execute(sql: "INSERT INTO blobs (sha256, kind, size, data, created_at) VALUES (?, 'other', 1, x'00', ?)",
                           arguments: [String(repeating: "a", count: 64), now])
            for (model, experts) in [(1, 3), (2, 2)] {
                try db.execute(sql: "INSERT INTO models (id, name, input_dimension, created_at) VALUES (?, ?, 4, ?)",
                               arguments: [model, "m\(model)", now])
                try db.execute(sql: "INSERT INTO domains (id, model_id, name, created_at) VALUES (?, ?, 'd', ?)",
                               arguments: [model, model, now])
                try db.execute(sql: """
                    INSERT INTO gate_versions (id, model_id, blob_sha256, input_dimension, hidden_dimension, expert_count, top_k, created_at)
                    VALUES (?, ?, ?, 4, 0, ?, 1, ?)
                    """, arguments: [model, model, String(repeating: "a", count: 64), experts, now])
                try db.execute(sql: """
                    INSERT INTO model_versions (id, model_id, number, domain_id, gate_version_id, expert_count, evaluation_count, created_at)
                    VALUES (?, ?, 1, ?, ?, ?, 0, ?)
                    """, arguments: [model, model, model, model, experts, now])
            }
            // Interleaved: model 1, 2, 1, 2, 1.
            for model in [1, 2, 1, 2, 1] {
                try db.execute(sql: """
                    INSERT INTO experts (model_id, domain_id, created_version_id, input_dimension, hidden_dimension,
                                         output_dimension, classes, weights_sha256, checksum, created_at)
                    VALUES (?, ?, ?, 4, 8, 2, '[0,1]', ?, 'c', ?)
                    """, arguments: [model, model, model, String(repeating: "a", count: 64), now])
            }
        }
        try old.close()

        // A read-only open cannot upgrade it, and says so instead of reading missing columns.
        var readonly = SQLiteStore.Configuration()
        readonly.readonly = true
        #expect {
            try SQLiteStore.open(path: path, configuration: readonly)
        } throws: { error in
            guard case StoreError.cannotOpen(_, let reason) = error else { return false }
            return reason.hasPrefix("its schema is older") && reason.contains("start `grove daemon` on the home once")
        }

        let store = try SQLiteStore.open(home: home)
        defer { try? store.close() }
        #expect(try await store.experts(model: "m1", version: nil).map(\.number) == [0, 1, 2])
        #expect(try await store.experts(model: "m2", version: nil).map(\.number) == [0, 1])
        #expect(try await store.integrityCheck() == ["ok"])
    }
}
