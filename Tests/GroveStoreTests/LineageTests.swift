import GroveStore
import Testing

@Suite struct LineageTests {
    /// Commits this tree, one phase per level, and returns the ids by name:
    ///
    ///     root ── a ── a1
    ///       │      └── a2 ── a2x
    ///       └──── b
    static func commitTree(_ store: any Store) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        let p1 = try await claimedJob(store, n: 1)
        ids["root"] = try await store.commitPhase(PhaseFixture.phase(jobID: p1.id, domain: "d1")).expertIDs[0]
        let p2 = try await claimedJob(store, n: 2)
        let level2 = try await store.commitPhase(PhaseFixture.phase(
            jobID: p2.id, domain: "d2", parents: [.stored(ids["root"] ?? -1), .stored(ids["root"] ?? -1)])).expertIDs
        ids["a"] = level2[0]
        ids["b"] = level2[1]
        let p3 = try await claimedJob(store, n: 3)
        let level3 = try await store.commitPhase(PhaseFixture.phase(
            jobID: p3.id, domain: "d3", parents: [.stored(ids["a"] ?? -1), .stored(ids["a"] ?? -1), .new(1)])).expertIDs
        ids["a1"] = level3[0]
        ids["a2"] = level3[1]
        ids["a2x"] = level3[2]
        return ids
    }

    @Test(arguments: Backend.allCases) func ancestorsRunFromTheParentUpToTheRoot(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let ids = try await Self.commitTree(store)
            let names = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            #expect(try await store.ancestors(ofExpert: ids["a2x"] ?? -1).compactMap { names[$0.id] } == ["a2", "a", "root"])
            #expect(try await store.ancestors(ofExpert: ids["b"] ?? -1).compactMap { names[$0.id] } == ["root"])
            #expect(try await store.ancestors(ofExpert: ids["root"] ?? -1).isEmpty)
        }
    }

    @Test(arguments: Backend.allCases) func descendantsListTheWholeSubtreeBreadthFirst(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let ids = try await Self.commitTree(store)
            let names = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            #expect(try await store.descendants(ofExpert: ids["root"] ?? -1).compactMap { names[$0.id] } == ["a", "b", "a1", "a2", "a2x"])
            #expect(try await store.descendants(ofExpert: ids["a"] ?? -1).compactMap { names[$0.id] } == ["a1", "a2", "a2x"])
            #expect(try await store.descendants(ofExpert: ids["b"] ?? -1).isEmpty)
        }
    }

    @Test(arguments: Backend.allCases) func lineageOfAnUnknownExpertThrows(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            await #expect(throws: StoreError.unknownExpert(id: 42)) {
                _ = try await store.ancestors(ofExpert: 42)
            }
            await #expect(throws: StoreError.unknownExpert(id: 42)) {
                _ = try await store.descendants(ofExpert: 42)
            }
        }
    }

    @Test(arguments: Backend.allCases) func evaluationHistoryAndAccuracyMatrixFollowTheVersions(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let p1 = try await claimedJob(store, n: 1)
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: p1.id, domain: "tops", accuracy: ["tops": 0.9]))
            let p2 = try await claimedJob(store, n: 2)
            _ = try await store.commitPhase(PhaseFixture.phase(
                jobID: p2.id, domain: "shoes", evaluated: ["tops", "shoes"], accuracy: ["tops": 0.85, "shoes": 0.95]))

            let history = try await store.evaluationHistory(model: "default", domain: "tops", metric: .accuracy)
            #expect(history == [
                EvaluationPoint(version: 1, value: 0.9, sampleCount: 10),
                EvaluationPoint(version: 2, value: 0.85, sampleCount: 10),
            ])
            let matrix = try await store.accuracyMatrix(model: "default")
            #expect(matrix.versions == [1, 2])
            #expect(matrix.domains == ["tops", "shoes"])
            #expect(matrix.values == [[0.9, nil], [0.85, 0.95]])
            #expect(matrix.value(version: 2, domain: "shoes") == 0.95)
            let loss = try await store.accuracyMatrix(model: "default", metric: .loss)
            #expect(loss.values == [[0.7, nil], [0.7, 0.7]])
            await #expect(throws: StoreError.unknownDomain(model: "default", name: "socks")) {
                _ = try await store.evaluationHistory(model: "default", domain: "socks", metric: .accuracy)
            }
            await #expect(throws: StoreError.modelNotFound(name: "nope")) {
                _ = try await store.accuracyMatrix(model: "nope")
            }
        }
    }
}
