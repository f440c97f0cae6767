import Foundation
import GroveStore
import Testing

/// ``Store/commitRollback(_:)`` on both backends: the rollback is a new version on the restored
/// version's line, the versions it leaves keep every row, and the next phase builds on it.
@Suite struct RollbackStoreTests {
    /// Phases on d1, d2 and d3 (one expert each, accuracies that differ per version).
    static func threeVersions(_ store: any Store) async throws {
        for (n, domain) in ["d1", "d2", "d3"].enumerated() {
            let job = try await claimedJob(store, n: n + 1)
            let known = ["d1", "d2", "d3"].prefix(n + 1)
            let accuracy = Dictionary(uniqueKeysWithValues: known.enumerated().map { ($1, 0.9 - 0.1 * Double(n) + 0.01 * Double($0)) })
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: job.id, domain: domain, evaluated: Array(known), accuracy: accuracy))
        }
    }

    @Test(arguments: Backend.allCases) func aRollbackIsANewVersionOnTheRestoredLineAndTheNextPhaseBuildsOnIt(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await Self.threeVersions(store)
            let before = try await store.modelVersions(model: "default")
            let state = PhaseFixture.bytes("rollback-state")
            let rollback = try await store.commitRollback(RollbackCommit(model: "default", target: 2, baseVersion: 3, snapshot: state))

            #expect(rollback.number == 4 && rollback.parentID == before[1].id && rollback.jobID == nil)
            #expect(rollback.expertCount == 2 && rollback.gateVersionID == before[1].gateVersionID && rollback.domainID == before[1].domainID)
            #expect(rollback.evaluationCount == before[1].evaluationCount)
            #expect(try await store.blob(sha256: try #require(rollback.snapshotSHA256)) == state)
            #expect(try await store.latestModelVersion(model: "default") == rollback)

            // Its experts are version 2's; version 3 keeps its own three.
            let numbers = { (version: Int?) in try await store.experts(model: "default", version: version).map(\.number) }
            let (four, latest, two, three) = (try await numbers(4), try await numbers(nil), try await numbers(2), try await numbers(3))
            #expect(four == [0, 1] && latest == [0, 1] && two == [0, 1] && three == [0, 1, 2])
            // Its evaluations are version 2's, so the matrix's row 4 is row 2.
            let strip = { (rows: [EvaluationRecord]) in rows.map { "\($0.domainID) \($0.metric) \($0.value) \($0.sampleCount)" } }
            #expect(strip(try await store.evaluations(model: "default", version: 4)) == strip(try await store.evaluations(model: "default", version: 2)))
            let matrix = try await store.accuracyMatrix(model: "default")
            #expect(matrix.versions == [1, 2, 3, 4] && matrix.values[3] == matrix.values[1] && matrix.values[3] != matrix.values[2])
            // The replay rows of its domains are version 2's, as of version 4.
            let replay = try await store.replayReservoirs(model: "default")
            let domains = try await store.domains(model: "default")
            #expect(replay.filter { $0.modelVersionID == rollback.id }.map(\.domainID) == domains.prefix(2).map(\.id))
            let event = try #require(try await store.events(jobID: nil, limit: 10).first { $0.kind == .rollback })
            #expect(event.modelVersionID == rollback.id && event.jobID == nil && event.message.contains("rolls back to version 2"))

            // The next phase builds on the rollback: its parent, and numbers past every expert.
            let job = try await claimedJob(store, n: 4)
            let committed = try await store.commitPhase(PhaseFixture.phase(jobID: job.id, domain: "d4"))
            #expect(committed.modelVersion.number == 5 && committed.modelVersion.parentID == rollback.id)
            let (five, stillThree) = (try await numbers(5), try await numbers(3))
            #expect(committed.modelVersion.expertCount == 3 && five == [0, 1, 3] && stillThree == [0, 1, 2])
            #expect(try await store.integrityCheck() == ["ok"])
        }
    }

    @Test(arguments: Backend.allCases) func refusedRollbacksChangeNothing(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            try await Self.threeVersions(store)
            let state = PhaseFixture.bytes("rollback-state")
            func attempt(_ model: String = "default", target: Int, base: Int) async throws {
                _ = try await store.commitRollback(RollbackCommit(model: model, target: target, baseVersion: base, snapshot: state))
            }
            await #expect(throws: StoreError.headMoved(model: "default", expected: 2, found: 3)) { try await attempt(target: 1, base: 2) }
            await #expect(throws: StoreError.self, "the newest version") { try await attempt(target: 3, base: 3) }
            await #expect(throws: StoreError.self, "no such version") { try await attempt(target: 9, base: 3) }
            await #expect(throws: StoreError.modelNotFound(name: "other")) { try await attempt("other", target: 1, base: 3) }
            let running = try await claimedJob(store, n: 4)
            await #expect(throws: StoreError.modelBusy(model: "default", jobID: running.id)) { try await attempt(target: 1, base: 3) }

            #expect(try await store.modelVersions(model: "default").map(\.number) == [1, 2, 3])
            #expect(try await store.events(jobID: nil, limit: 100).allSatisfy { $0.kind != .rollback })
            await #expect(throws: StoreError.self, "no blob of a refused rollback") { try await store.blob(sha256: SHA256Hex.digest(state)) }
        }
    }
}
