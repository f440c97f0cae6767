import Foundation
import GRDB
@testable import GroveStore
import Testing

@Suite struct PhaseCommitTests {
    @Test(arguments: Backend.allCases) func firstPhaseCreatesModelDomainVersionExpertsAndFinishesTheJob(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let job = try await claimedJob(store, n: 1, domain: "tops")
            let committed = try await store.commitPhase(PhaseFixture.phase(jobID: job.id, domain: "tops", parents: [nil, .new(0)]))

            #expect(committed.modelVersion.number == 1 && committed.modelVersion.parentID == nil)
            #expect(committed.modelVersion.expertCount == 2 && committed.modelVersion.evaluationCount == 2)
            let model = try #require(try await store.model(named: "default"))
            #expect(model.inputDimension == 4 && model.labels == ["a", "b"])
            #expect(try await store.domains(model: "default").map(\.name) == ["tops"])
            let experts = try await store.experts(model: "default", version: nil)
            #expect(experts.map(\.id) == committed.expertIDs)
            #expect(experts[1].parentID == experts[0].id)
            #expect(experts.allSatisfy { $0.isFrozen && $0.classes == [0, 1] && $0.outputDimension == 2 })
            #expect(try await store.blob(sha256: experts[0].weightsSHA256) == PhaseFixture.bytes("weights-\(job.id)-0"))
            let detection = try #require(try await store.detection(jobID: job.id))
            #expect(detection.decision == .new && detection.pValue == 0.01 && detection.declaredDomain == "tops")
            let gate = try #require(try await store.gateVersion(id: committed.modelVersion.gateVersionID))
            #expect(gate.expertCount == 2 && gate.topK == 2 && gate.inputDimension == 4)
            #expect(try await store.heldOutSplits(model: "default").map(\.sampleCount) == [15])
            #expect(try await store.replayReservoirs(model: "default").count == 1)
            let finished = try #require(try await store.job(id: job.id))
            #expect(finished.state == .succeeded && finished.progress == 1)
            let phaseEvents = try await store.events(jobID: job.id, limit: 10)
            #expect(phaseEvents.map(\.kind) == [.jobSucceeded, .phase, .jobClaimed, .jobQueued])
            #expect(phaseEvents[1].modelVersionID == committed.modelVersion.id)
        }
    }

    /// The snapshot's parts and the relational rows share buffers (hashed once), and other parts
    /// have the same length with other bytes: every blob is still named by its own payload.
    @Test(arguments: Backend.allCases) func everyBlobIsNamedByItsOwnPayloadWhenPartsShareBuffers(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            let job = try await claimedJob(store, n: 1, domain: "tops")
            var phase = PhaseFixture.phase(jobID: job.id, domain: "tops")
            let heldOut = PhaseFixture.bytes("held-out", count: 4096)
            phase.dataset.heldOut = heldOut
            let parts = [heldOut, PhaseFixture.bytes("other-split", count: 4096), PhaseFixture.bytes("old-replay", count: 4096),
                         phase.replay[0].samples, Data(heldOut)]
            phase.snapshot = .init(document: Data("{}".utf8), blobs: parts.map { ($0, .split) })
            _ = try await store.commitPhase(phase)
            let names = try await subject.texts("SELECT sha256 FROM blobs").compactMap { $0 }
            for name in names {
                let payload = try await store.blob(sha256: name)
                #expect(SHA256Hex.digest(payload) == name)
            }
            for part in parts { #expect(names.contains(SHA256Hex.digest(part))) }
        }
    }

    @Test(arguments: Backend.allCases) func laterPhasesNumberVersionsAndAccumulateExpertsAndLabels(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let first = try await claimedJob(store, n: 1)
            let v1 = try await store.commitPhase(PhaseFixture.phase(jobID: first.id, domain: "tops"))
            let second = try await claimedJob(store, n: 2)
            let v2 = try await store.commitPhase(PhaseFixture.phase(
                jobID: second.id, domain: "shoes", parents: [.stored(v1.expertIDs[0])],
                evaluated: ["tops", "shoes"], labels: ["a", "b", "c"]))

            #expect(v2.modelVersion.number == 2 && v2.modelVersion.parentID == v1.modelVersion.id)
            #expect(v2.modelVersion.expertCount == 2)
            #expect(try await store.latestModelVersion(model: "default") == v2.modelVersion)
            #expect(try await store.modelVersions(model: "default").map(\.number) == [1, 2])
            #expect(try await store.experts(model: "default", version: 1).map(\.id) == v1.expertIDs)
            #expect(try await store.experts(model: "default", version: 2).map(\.id) == v1.expertIDs + v2.expertIDs)
            #expect(try await store.model(named: "default")?.labels == ["a", "b", "c"])
            #expect(try await store.domains(model: "default").map(\.name) == ["tops", "shoes"])
        }
    }

    /// Ways to make a commit fail after some of its rows have been written.
    enum HalfWayFailure: String, CaseIterable, Sendable {
        case evaluationOfUnknownDomain, pValueOutOfRange, accuracyAboveOne, parentFromAnotherModel, duplicateEvaluation
    }

    @Test(arguments: HalfWayFailure.allCases, Backend.allCases)
    func aCommitThatThrowsHalfWayLeavesNothingBehind(failure: HalfWayFailure, backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            let other = try await claimedJob(store, n: 100, model: "other")
            let foreign = try await store.commitPhase(PhaseFixture.phase(jobID: other.id, domain: "x"))
            let first = try await claimedJob(store, n: 1)
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: first.id, domain: "tops"))
            let job = try await claimedJob(store, n: 2)
            let before = try await subject.tableCounts()

            var phase = PhaseFixture.phase(jobID: job.id, domain: "shoes", parents: [nil, .new(0)], evaluated: ["tops", "shoes"])
            switch failure {
            case .evaluationOfUnknownDomain:
                phase.evaluations.append(.init(domain: "socks", metric: .accuracy, value: 0.5, sampleCount: 1))
            case .pValueOutOfRange:
                phase.detection.pValue = 1.5
            case .accuracyAboveOne:
                phase.evaluations.append(.init(domain: "tops", metric: .routingAccuracy, value: 1.2, sampleCount: 1))
            case .parentFromAnotherModel:
                phase.experts.append(.init(parent: .stored(foreign.expertIDs[0]), hiddenDimension: 8, classes: [0], weights: Data([1]), checksum: "c"))
            case .duplicateEvaluation:
                phase.evaluations.append(phase.evaluations[0])
            }
            await #expect(throws: StoreError.self) {
                _ = try await store.commitPhase(phase)
            }

            #expect(try await subject.tableCounts() == before, "no row (nor blob) of the failed phase is visible")
            #expect(try await store.latestModelVersion(model: "default")?.number == 1)
            #expect(try await store.domains(model: "default").map(\.name) == ["tops"])
            #expect(try await store.job(id: job.id)?.state == .running, "the job can be failed or retried")
        }
    }

    @Test(arguments: Backend.allCases) func commitRequiresARunningJobAndAConsistentModel(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            _ = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv"))
            let queued = try #require(try await store.jobs().first)
            await #expect(throws: StoreError.invalidJobTransition(id: queued.id, from: .queued, operation: "commit a phase for")) {
                _ = try await store.commitPhase(PhaseFixture.phase(jobID: queued.id, domain: "tops"))
            }
            let first = try #require(try await store.claimNextJob())
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: first.id, domain: "tops", labels: ["a", "b"]))
            let second = try await claimedJob(store, n: 2)
            await #expect(throws: StoreError.inputDimensionMismatch(model: "default", stored: 4, given: 5)) {
                _ = try await store.commitPhase(PhaseFixture.phase(jobID: second.id, domain: "tops", inputDimension: 5))
            }
            await #expect(throws: StoreError.labelsNotExtended(model: "default")) {
                _ = try await store.commitPhase(PhaseFixture.phase(jobID: second.id, domain: "tops", labels: ["b", "a"]))
            }
            await #expect(throws: StoreError.invalidExpertReference(index: 1, count: 0)) {
                _ = try await store.commitPhase(PhaseFixture.phase(jobID: second.id, domain: "tops", parents: [.new(1)]))
            }
            #expect(try await store.modelVersions(model: "default").count == 1)
        }
    }

    @Test(arguments: Backend.allCases) func laterPhasesMayFillFreeLabelIndicesButNeverMoveAStoredLabel(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            _ = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv"))
            let first = try #require(try await store.claimNextJob())
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: first.id, domain: "tops", labels: ["", "", "4", "5"]))
            let second = try await claimedJob(store, n: 2)
            await #expect(throws: StoreError.labelsNotExtended(model: "default")) {
                _ = try await store.commitPhase(PhaseFixture.phase(jobID: second.id, domain: "shoes", labels: ["0", "1", "5", "4"]))
            }
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: second.id, domain: "shoes", labels: ["0", "1", "4", "5", "6"]))
            #expect(try await store.model(named: "default")?.labels == ["0", "1", "4", "5", "6"])
        }
    }
}
