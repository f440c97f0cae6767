import Foundation
@testable import GroveStore
import Testing

@Suite struct ExpertRecordTests {
    @Test(arguments: Backend.allCases) func fetchedExpertsKeepTheirTimestampAndClasses(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let job = try await claimedJob(store, n: 1)
            var phase = PhaseFixture.phase(jobID: job.id, domain: "tops")
            phase.experts[0].classes = [3, 0, 12]
            let before = Date()
            _ = try await store.commitPhase(phase)
            let expert = try #require(try await store.experts(model: "default", version: 1).first)
            #expect(expert.classes == [3, 0, 12] && expert.outputDimension == 3)
            #expect(abs(expert.createdAt.timeIntervalSince(before)) < 5)
            let version = try #require(try await store.latestModelVersion(model: "default"))
            #expect(abs(expert.createdAt.timeIntervalSince(version.createdAt)) < 0.001, "same instant through both decoders")
        }
    }

    @Test func classesParseFromJSONArraysAndMalformedTextIsRefused() throws {
        #expect(try ExpertRecord.parseIntegerArray("[]") == [])
        #expect(try ExpertRecord.parseIntegerArray(" [ 3, 0 ,12 ] ") == [3, 0, 12])
        #expect(try ExpertRecord.parseIntegerArray("[-1,9223372036854775807]") == [-1, Int.max])
        for bad in ["", "[", "3", "[1,]", "[,1]", "[1 2]", "[1]]", "[1][", "[-]", "[1.5]", "[9223372036854775808]", "[1]x"] {
            #expect(throws: StoreError.self, "\(bad)") { try ExpertRecord.parseIntegerArray(bad) }
        }
    }
}
