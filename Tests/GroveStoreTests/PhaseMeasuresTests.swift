import Foundation
@testable import GroveStore
import Testing

/// A phase's step timings, gate steps, the detector's level and its evidence against every
/// tested domain are kept with the version, so that a report can be built from rows.
@Suite struct PhaseMeasuresTests {
    @Test(arguments: Backend.allCases) func timingsAndDetectionEvidenceAreKeptWithTheVersion(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            var job = try await claimedJob(store, n: 1, domain: "tops")
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: job.id, domain: "tops"))
            job = try await claimedJob(store, n: 2, domain: "bags")
            var phase = PhaseFixture.phase(jobID: job.id, domain: "bags")
            phase.timings = .init(detect: 0.1, trainExperts: 1.5, retrainGate: 2.25, evaluate: 0.3, total: 4.5, gateSteps: 840)
            phase.detection.significance = 0.01
            phase.detection.evidence = [.init(domain: "tops", statistic: 0.25, pValue: 0.005)]
            _ = try await store.commitPhase(phase)

            let versions = try await store.modelVersions(model: "default")
            #expect(versions[0].phaseSeconds == nil && versions[0].gateSteps == nil, "the fixture's first phase gave none")
            let timed = versions[1]
            #expect(timed.detectSeconds == 0.1 && timed.trainExpertsSeconds == 1.5 && timed.retrainGateSeconds == 2.25)
            #expect(timed.evaluateSeconds == 0.3 && timed.phaseSeconds == 4.5 && timed.gateSteps == 840)
            let detection = try #require(try await store.detection(jobID: job.id))
            #expect(detection.significance == 0.01)
            let evidence = try await store.detectionEvidence(detectionID: detection.id)
            let tops = try #require(try await store.domains(model: "default").first { $0.name == "tops" })
            #expect(evidence.map(\.domainID) == [tops.id] && evidence.map(\.statistic) == [0.25] && evidence.map(\.pValue) == [0.005])
        }
    }

    @Test(arguments: Backend.allCases) func evidenceAgainstADomainTheModelDoesNotHaveFailsTheWholeCommit(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let job = try await claimedJob(store, n: 1, domain: "tops")
            var phase = PhaseFixture.phase(jobID: job.id, domain: "tops")
            phase.detection.evidence = [.init(domain: "nowhere", statistic: 0.1, pValue: 0.5)]
            await #expect(throws: StoreError.self) { try await store.commitPhase(phase) }
            #expect(try await store.modelVersions(model: "default").isEmpty)
            #expect(try await store.job(id: job.id)?.state == .running)
        }
    }
}
