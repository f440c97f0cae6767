import Foundation
import GroveData
import GroveLearning
import GroveReport
import GroveStore
import GroveStorePostgres
import GroveTestSupport
import Logging
import Testing
@testable import GroveService

/// The report built from the store's rows alone equals the one built from the learner in
/// memory, on the split Fashion-MNIST stream (five domains of two classes each, at the demo's
/// quick settings), from the SQLite store and from a PostgreSQL copy of it.
@Suite struct StoreReportTests {
    @Test func theSplitStreamsReportFromTheStoreEqualsTheLearners() async throws {
        let temp = try TemporaryDirectory(prefix: "grove-store-report")
        var config = LifelongConfig()
        config.expertEpochs = 1
        config.expertMinimumSteps = 0
        config.gateSteps = 150
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let demo = StreamDemo(manifest: try BuiltinStream.splitFashionMNIST.manifest(), config: config, limit: 2400)
        let (learner, demoReport) = try await demo.run(home: GroveHome(path: temp.path), logger: logger)
        #expect(learner.phases.count == 5)

        let sqlite = try SQLiteStore.open(home: URL(fileURLWithPath: temp.path))
        let generated = Date(timeIntervalSince1970: 1_800_000_000)
        var jobs: [Int: Int] = [:]
        for version in try await sqlite.modelVersions(model: "default") {
            jobs[version.number - 1] = version.jobID.map(Int.init)
        }
        let expected = Report(learner: learner, model: "default", generatedAt: generated, jobs: jobs)
        let fromRows = try await StoreReport.build(model: "default", from: sqlite, generatedAt: generated)
        #expect(fromRows == expected, "\(Self.difference(fromRows, expected))")
        #expect(try fromRows.render(.json) == expected.render(.json))
        var demoAtSameTime = demoReport
        demoAtSameTime.generatedAt = expected.generatedAt
        #expect(demoAtSameTime == expected, "the demo prints the store's report")
        #expect(fromRows.domains.count == 5 && fromRows.experts.count == expected.experts.count && fromRows.metrics != nil)

        let postgres = try await PostgresStore.open(url: try PostgresTestCluster.shared().makeDatabase())
        _ = try await StoreCopy.copy(from: sqlite, to: postgres)
        let fromServer = try await StoreReport.build(model: "default", from: postgres, generatedAt: generated)
        #expect(fromServer == expected, "\(Self.difference(fromServer, expected))")
        await postgres.close()
        try sqlite.close()
    }

    /// The JSON lines of `a` that `b` lacks, and the reverse, for a failure message.
    static func difference(_ a: Report, _ b: Report) -> String {
        let left = ((try? a.render(.json)) ?? "").split(separator: "\n")
        let right = ((try? b.render(.json)) ?? "").split(separator: "\n")
        let onlyLeft = left.filter { !right.contains($0) }.prefix(12)
        let onlyRight = right.filter { !left.contains($0) }.prefix(12)
        return "from rows only: \(onlyLeft.joined(separator: " | "))\nfrom the learner only: \(onlyRight.joined(separator: " | "))"
    }
}
