import Foundation
import GroveData
import GroveModel
import GroveNumerics
import GroveReport
@testable import GroveService
import GroveStore
import Logging
import Testing

/// `grove rollback`: an earlier version predicts again, bit for bit, as a new version; the
/// lineage keeps the versions it left; the next phase builds on it without reusing their
/// expert numbers or domain names; the report and the versions view say what happened.
@Suite struct RollbackTests {
    @Test func aRollbackServesTheEarlierVersionAndTheNextPhaseBuildsOnIt() async throws {
        let temp = TemporaryHome()
        let daemon = try await daemonWithThreeVersions(home: temp.home)
        let host = try await defaultHost(daemon)
        let views = HomeViews(store: daemon.store, hosts: daemon.hosts)
        let third = try await views.domains(model: "default")[2].name
        let probe = try CSVReader.read(bytes: Array(csv(classes: [0, 1, 2, 3, 4, 5], region: 2, rows: 60, seed: 7).utf8), name: "probe.csv")
        let x = Matrix(rows: probe.count, cols: 12, storage: probe.features)
        let second = try #require(try await host.model(version: 2, from: daemon.store)).model
        let expected = try MoEPredictor(model: second).classify(x)

        let rolled = try await host.rollback(to: 2, in: daemon.store)
        let servedVersion = await host.version
        #expect(rolled.number == 4 && rolled.jobID == nil && servedVersion == 4)
        // The served model is version 2's, weight for weight, and predicts what it predicted.
        let served = try #require(await host.learner.model)
        #expect(served.experts.map(\.id) == [0, 1])
        #expect(zip(served.experts, second.experts).allSatisfy { $0.parameters.map(\.bitPattern) == $1.parameters.map(\.bitPattern) })
        #expect(served.gate.parameters.map(\.bitPattern) == second.gate.parameters.map(\.bitPattern))
        let answers = try host.predict(x)
        #expect(answers.map(\.classIndex) == expected.map { Int($0) } && Set(answers.map(\.label)).count > 1)

        let versions = try await views.versions(model: "default")
        #expect(versions.map(\.rolledBackTo) == [nil, nil, nil, 2] && versions.map(\.serving) == [false, false, false, true])
        #expect(versions[3].job == nil && versions[3].experts == 2 && versions[3].newExperts == 0 && versions[3].domains == 2)
        #expect(versions[3].domain == versions[1].domain && versions[3].meanAccuracy == versions[1].meanAccuracy)

        // A phase after the rollback: experts numbered past version 3's, a fresh domain name.
        _ = try await submitCSV(csv(classes: [6, 7], region: 4, rows: 240, seed: 4), name: "d3.csv", to: daemon)
        try await runQueue(daemon)
        let after = try await daemon.store.modelVersions(model: "default")
        #expect(after.map(\.number) == [1, 2, 3, 4, 5] && after[4].parentID == after[3].id)
        #expect(try await daemon.store.experts(model: "default", version: 5).map(\.number) == [0, 1, 3])
        #expect(try await daemon.store.experts(model: "default", version: 3).map(\.number) == [0, 1, 2], "the lineage keeps version 3")
        let domains = try await daemon.store.domains(model: "default").map(\.name)
        #expect(domains.count == 4 && Set(domains).count == 4, "the new domain did not take \(third)'s name: \(domains)")
        let newest = try #require(await host.learner.model)
        #expect(newest.experts.prefix(2).map { $0.parameters.map(\.bitPattern) } == second.experts.map { $0.parameters.map(\.bitPattern) },
                "the restored experts stay frozen through the next phase")

        // The report: every phase, the rollback marked, the left domain without experts.
        let report = try await StoreReport.build(model: "default", from: daemon.store)
        #expect(report.phases.map(\.rolledBackTo) == [nil, nil, nil, 2, nil])
        #expect(report.phases.map(\.grown) == [[0], [1], [2], [], [3]])
        #expect(report.phases[3].detection.decision == "rollback" && report.phases[3].job == nil)
        #expect(report.accuracyMatrix[3] == report.accuracyMatrix[1])
        #expect(try report.render(.table).contains("rollback to v2"))
        #expect(report.experts.map(\.id) == [0, 1, 3])
        let left = try #require(report.domains.first { $0.name == third })
        #expect(left.experts.isEmpty && left.accuracy == nil && left.bestAccuracy != nil)
        #expect(try await daemon.store.integrityCheck() == ["ok"])
    }

    @Test func refusedRollbacksSayWhyAndChangeNothing() async throws {
        let temp = TemporaryHome()
        let daemon = try await daemonWithTwoVersions(home: temp.home)
        let host = try await defaultHost(daemon)
        await #expect(throws: ServiceError.unknownVersion(number: 7, model: "default")) { try await host.rollback(to: 7, in: daemon.store) }
        await #expect(throws: ServiceError.self, "the newest version") { try await host.rollback(to: 2, in: daemon.store) }
        _ = try await submitCSV(csv(classes: [4, 5], region: 3, rows: 240, seed: 3), name: "c.csv", to: daemon)
        let running = try #require(try await daemon.store.claimNextJob())
        await #expect(throws: StoreError.modelBusy(model: "default", jobID: running.id)) { try await host.rollback(to: 1, in: daemon.store) }
        let servedVersion = await host.version
        #expect(try await daemon.store.modelVersions(model: "default").count == 2 && servedVersion == 2)
    }
}
