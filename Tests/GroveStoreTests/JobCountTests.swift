import Foundation
import GRDB
import GroveStore
import Testing

/// The job counters follow every change of a job's state and equal a count of the jobs.
@Suite struct JobCountTests {
    /// The jobs counted the slow way, as `jobCounts()` reports them.
    private func counted(_ subject: StoreUnderTest) async throws -> [JobCount] {
        try await subject.texts("""
            SELECT model || ' ' || state || ' ' || CAST(count(*) AS TEXT) FROM jobs GROUP BY model, state ORDER BY model, state
            """).compactMap { line in
            let fields = (line ?? "").split(separator: " ").map(String.init)
            guard fields.count == 3, let state = JobState(rawValue: fields[1]), let count = Int(fields[2]) else { return nil }
            return JobCount(model: fields[0], state: state, count: count)
        }
    }

    @Test(arguments: Backend.allCases) func countersFollowEveryTransitionAcrossModels(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            #expect(try await store.jobCounts().isEmpty)
            for i in 0..<4 {
                _ = try await store.enqueue(JobRequest(model: i % 2 == 0 ? "default" : "digits", datasetSHA256: fakeSHA256(i), source: "\(i).csv"))
            }
            var expected = [JobCount(model: "default", state: .queued, count: 2), JobCount(model: "digits", state: .queued, count: 2)]
            #expect(try await store.jobCounts() == expected)

            let first = try #require(try await store.claimNextJob())
            _ = try await store.fail(jobID: first.id, message: "bad file")
            let second = try #require(try await store.claimNextJob(after: first.model))
            _ = try await store.cancel(jobID: second.id, reason: nil)
            _ = try await store.retry(jobID: first.id)
            let third = try #require(try await store.claimNextJob())
            _ = try await store.finish(jobID: third.id)
            _ = try await store.claimNextJob()
            _ = try await store.requeueInterrupted(maxAttempts: 3)
            // A failed spec submitted again is queued again: one more transition, no new job.
            let fourth = try #require(try await store.claimNextJob())
            _ = try await store.fail(jobID: fourth.id, message: "again")
            _ = try await store.enqueue(JobRequest(model: fourth.model, datasetSHA256: fourth.datasetSHA256, source: fourth.source))

            expected = try await counted(subject)
            #expect(try await store.jobCounts() == expected)
            #expect(expected.map(\.count).reduce(0, +) == 4)
        }
    }

    @Test func migratingADatabaseWithJobsCountsThem() async throws {
        let home = try makeTemporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let store = try SQLiteStore.open(home: home)
        for i in 0..<3 { _ = try await store.enqueue(JobRequest(model: "m\(i % 2)", datasetSHA256: fakeSHA256(i), source: "\(i).csv")) }
        _ = try await store.claimNextJob()
        // Back to the schema before migration v3, with the jobs in place.
        try await store.database.write { db in
            try db.execute(sql: """
                DROP TRIGGER job_counts_on_insert; DROP TRIGGER job_counts_on_update; DROP TRIGGER job_counts_on_delete;
                DROP TABLE job_counts; DELETE FROM grdb_migrations WHERE identifier = 'v3';
                """)
        }
        try store.close()
        let migrated = try SQLiteStore.open(home: home)
        defer { try? migrated.close() }
        #expect(try await migrated.jobCounts() == [
            JobCount(model: "m0", state: .queued, count: 1), JobCount(model: "m0", state: .running, count: 1),
            JobCount(model: "m1", state: .queued, count: 1),
        ])
    }
}
