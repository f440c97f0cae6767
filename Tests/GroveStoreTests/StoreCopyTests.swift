import Foundation
import GroveStore
import GroveStorePostgres
import GroveTestSupport
import Testing

/// `grove store copy`: a SQLite store's whole history arrives in PostgreSQL with its ids, and
/// the copy goes on working as a store.
@Suite struct StoreCopyTests {
    @Test func aHomesHistoryIsCopiedRowForRowAndTheCopyGoesOn() async throws {
        try await withTemporarySQLiteStore { sqlite, _ in
            let ids = try await LineageTests.commitTree(sqlite)
            let failed = try await claimedJob(sqlite, n: 9, model: "other")
            _ = try await sqlite.fail(jobID: failed.id, message: "bad file")
            _ = try await sqlite.enqueue(JobRequest(datasetSHA256: fakeSHA256(10), source: "queued.csv"))
            let big = try await sqlite.putBlob(Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7 / 5) }), kind: .replay)
            let window = try await sqlite.recordDriftWindow(DriftWindow(
                model: "default", version: 1, testedAt: Date(), rowCount: 2, statistic: 0.3, pValue: 0.001, fits: false,
                nearestDomain: nil, medianNovelty: 3))
            _ = try await sqlite.recordDriftEvent(DriftEvent(
                model: "default", version: 1, detectedAt: Date(), windows: window.id...window.id, statistic: 0.3, pValue: 0.001,
                nearestDomain: nil, candidate: Data(count: 8), candidateRows: 2, featureCount: 1))

            let url = try PostgresTestCluster.shared().makeDatabase()
            let postgres = try await PostgresStore.open(url: url)
            let copied = try await StoreCopy.copy(from: sqlite, to: postgres)
            #expect(copied.first { $0.table == "experts" }?.rows == 6)
            #expect(copied.first { $0.table == "jobs" }?.rows == 5)

            // Every read answers the same on both, ids included.
            #expect(try await postgres.jobs().map(\.id) == sqlite.jobs().map(\.id))
            #expect(try await postgres.jobs().map(\.state) == sqlite.jobs().map(\.state))
            #expect(try await postgres.jobCounts() == sqlite.jobCounts(), "the triggers rebuilt the counters")
            #expect(try await postgres.modelVersions(model: "default").map(\.id) == sqlite.modelVersions(model: "default").map(\.id))
            #expect(try await postgres.experts(model: "default", version: nil).map(\.classes) == sqlite.experts(model: "default", version: nil).map(\.classes))
            #expect(try await postgres.descendants(ofExpert: ids["root"] ?? -1).map(\.id) == sqlite.descendants(ofExpert: ids["root"] ?? -1).map(\.id))
            #expect(try await postgres.accuracyMatrix(model: "default") == sqlite.accuracyMatrix(model: "default"))
            #expect(try await postgres.events(jobID: nil, limit: 100).map(\.message) == sqlite.events(jobID: nil, limit: 100).map(\.message))
            #expect(try await postgres.detection(jobID: 1)?.contradictsDeclaration == false)
            #expect(try await postgres.driftWindows(model: "default", before: nil, limit: 10).map(\.fits) == [false])
            #expect(try await postgres.driftEvents(model: "default").map(\.candidateSHA256) == sqlite.driftEvents(model: "default").map(\.candidateSHA256))
            #expect(try await postgres.blob(sha256: big) == sqlite.blob(sha256: big))
            let sqliteTimes = try await sqlite.jobs().map(\.createdAt.timeIntervalSince1970)
            let postgresTimes = try await postgres.jobs().map(\.createdAt.timeIntervalSince1970)
            #expect(zip(sqliteTimes, postgresTimes).allSatisfy { abs($0 - $1) < 0.001 }, "times cross as UTC")
            #expect(try await postgres.integrityCheck() == ["ok"])

            // New ids continue after the copied ones, and the queue runs on.
            let next = try await postgres.enqueue(JobRequest(datasetSHA256: fakeSHA256(11), source: "new.csv")).job
            #expect(next.id == (try await sqlite.jobs().map(\.id).max() ?? 0) + 1)
            let claimed = try #require(try await postgres.claimNextJob())
            _ = try await postgres.commitPhase(PhaseFixture.phase(jobID: claimed.id, domain: "d4"))
            #expect(try await postgres.latestModelVersion(model: "default")?.number == 4)

            // A second copy into the same database is refused, and changes nothing.
            let error = await #expect(throws: StoreError.self) { _ = try await StoreCopy.copy(from: sqlite, to: postgres) }
            #expect(error?.description.contains("the target store is not empty") == true)
            await postgres.close()
        }
    }
}
