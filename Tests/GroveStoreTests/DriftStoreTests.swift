import Foundation
import GroveNumerics
@testable import GroveStore
import Testing

/// The watch's windows and drift events, with their candidate rows, on both backends.
@Suite struct DriftStoreTests {
    private func window(version: Int = 1, p: Double, fits: Bool, nearest: String? = "tops", at seconds: Double = 0) -> DriftWindow {
        DriftWindow(model: "default", version: version, testedAt: Date(timeIntervalSince1970: 1_800_000_000 + seconds), rowCount: 256,
                    statistic: fits ? 0.001 : 0.2, pValue: p, fits: fits, nearestDomain: nearest, medianNovelty: fits ? 0.8 : 2.5)
    }

    @Test(arguments: Backend.allCases) func windowsAndAnEventWithItsCandidateRowsAreKept(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let job = try await claimedJob(store, n: 1, domain: "tops")
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: job.id, domain: "tops"))
            var stored: [DriftWindowRecord] = []
            for (index, (p, fits)) in [(0.4, true), (0.004, false), (0.003, false), (0.002, false)].enumerated() {
                stored.append(try await store.recordDriftWindow(window(p: p, fits: fits, at: Double(index))))
            }
            let tops = try #require(try await store.domains(model: "default").first)
            #expect(stored.map(\.fits) == [true, false, false, false] && stored.allSatisfy { $0.nearestDomainID == tops.id })
            #expect(try await store.driftWindows(model: "default", before: nil, limit: 100) == stored.reversed())
            #expect(try await store.driftWindows(model: "default", before: stored[2].id, limit: 1) == [stored[1]], "the page before")

            let rows: [Float] = (0..<(3 * 5)).map { Float($0) / 7 }
            let event = try await store.recordDriftEvent(DriftEvent(
                model: "default", version: 1, detectedAt: stored[3].testedAt, windows: stored[1].id...stored[3].id, statistic: 0.2,
                pValue: 0.002, nearestDomain: "tops", candidate: FloatCoding.data(rows), candidateRows: 3, featureCount: 5))
            #expect(event.firstWindowID == stored[1].id && event.lastWindowID == stored[3].id && event.nearestDomainID == tops.id)
            #expect(event.candidateRows == 3 && event.featureCount == 5 && event.detectedAt == stored[3].testedAt)
            #expect(try await store.driftEvents(model: "default") == [event])
            #expect(FloatCoding.floats(try await store.blob(sha256: event.candidateSHA256)) == rows, "the candidate rows come back bit for bit")

            // Later windows of the run extend the candidate; the replaced rows' blob goes.
            let more = rows + (0..<(2 * 5)).map { Float($0) / 3 }
            let extended = try await store.extendDriftCandidate(model: "default", event: event.id, candidate: FloatCoding.data(more), rows: 5)
            #expect(extended.candidateRows == 5 && extended.candidateSHA256 != event.candidateSHA256 && extended.lastWindowID == event.lastWindowID)
            #expect(try await store.driftEvents(model: "default") == [extended])
            #expect(FloatCoding.floats(try await store.blob(sha256: extended.candidateSHA256)) == more)
            await #expect(throws: StoreError.self, "the replaced rows are gone") { try await store.blob(sha256: event.candidateSHA256) }
            await #expect(throws: StoreError.self, "a candidate never shrinks") {
                try await store.extendDriftCandidate(model: "default", event: event.id, candidate: FloatCoding.data(rows), rows: 3)
            }
            await #expect(throws: StoreError.self, "a size that does not match the rows") {
                try await store.extendDriftCandidate(model: "default", event: event.id, candidate: FloatCoding.data(more), rows: 6)
            }
            await #expect(throws: StoreError.self, "no such event") {
                try await store.extendDriftCandidate(model: "default", event: event.id + 1, candidate: FloatCoding.data(more + more), rows: 10)
            }
            #expect(try await store.driftEvents(model: "default") == [extended], "refused extensions change nothing")
            #expect(try await store.integrityCheck() == ["ok"])
        }
    }

    @Test(arguments: Backend.allCases) func badWindowsAndEventsAreRefusedAndLeaveNothing(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            await #expect(throws: StoreError.modelNotFound(name: "default")) { try await store.recordDriftWindow(window(p: 0.5, fits: true)) }
            let job = try await claimedJob(store, n: 1, domain: "tops")
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: job.id, domain: "tops"))
            await #expect(throws: StoreError.invalidArgument("model 'default' has no version 2")) {
                try await store.recordDriftWindow(window(version: 2, p: 0.5, fits: true))
            }
            await #expect(throws: StoreError.unknownDomain(model: "default", name: "nowhere")) {
                try await store.recordDriftWindow(window(p: 0.5, fits: true, nearest: "nowhere"))
            }
            await #expect(throws: StoreError.self) { try await store.recordDriftWindow(window(p: 1.5, fits: true)) }
            var nan = window(p: 0.5, fits: true)
            nan.medianNovelty = .nan
            await #expect(throws: StoreError.self) { try await store.recordDriftWindow(nan) }
            #expect(try await store.driftWindows(model: "default", before: nil, limit: 10).isEmpty)

            let first = try await store.recordDriftWindow(window(p: 0.001, fits: false))
            let short = DriftEvent(model: "default", version: 1, detectedAt: Date(), windows: first.id...first.id, statistic: 0.2,
                                   pValue: 0.001, nearestDomain: nil, candidate: Data(count: 10), candidateRows: 1, featureCount: 5)
            await #expect(throws: StoreError.self, "10 bytes are not one row of five float32 values") { try await store.recordDriftEvent(short) }
            var foreign = short
            foreign.candidate = Data(count: 20)
            foreign.windows = first.id...(first.id + 1)
            await #expect(throws: StoreError.self, "a window that does not exist") { try await store.recordDriftEvent(foreign) }
            #expect(try await store.driftEvents(model: "default").isEmpty)
        }
    }
}
