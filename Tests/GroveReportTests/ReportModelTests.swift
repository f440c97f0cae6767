import Foundation
import GroveLearning
import Testing
@testable import GroveReport

/// The report built from a real (tiny, seeded) learner says what the learner knows.
@Suite struct ReportModelTests {
    func build() throws -> (LifelongLearner, Report) {
        let learner = try ReportFixtures.learner.get()
        let report = Report(learner: learner, model: "default", generatedAt: Date(timeIntervalSince1970: 1_738_324_800), jobs: [0: 7])
        return (learner, report)
    }

    @Test func phasesCarryTheDetectionGrowthAndAccuracyOfEveryPhase() throws {
        let (learner, report) = try build()
        #expect(report.phases.count == learner.phases.count)
        #expect(report.generatedAt == "2025-01-31T12:00:00Z")
        for (p, source) in zip(report.phases, learner.phases) {
            #expect(p.index == source.index && p.domain == source.domain && p.grown == source.grown)
            #expect(p.detection.decision == source.detection.decision.rawValue)
            #expect(p.detection.nearestDomain == source.detection.nearestDomain)
            #expect(p.detection.evidence.map(\.domain) == source.detection.evidence.map(\.name))
            #expect(Set(p.accuracy.keys) == Set(source.evaluations.map(\.domain)))
        }
        #expect(report.phases[0].job == 7 && report.phases[1].job == nil)
        #expect(report.phases[2].detection.decision == "known", "more data of the first region is known")
    }

    @Test func theAccuracyMatrixHasARowPerPhaseAndAColumnPerDomainWithNullsBeforeADomainAppeared() throws {
        let (learner, report) = try build()
        #expect(report.accuracyMatrix.count == learner.phases.count)
        #expect(report.accuracyMatrix.allSatisfy { $0.count == report.domains.count })
        #expect(report.accuracyMatrix[0][1] == nil)
        for row in report.accuracyMatrix { for value in row.compactMap({ $0 }) { #expect((0...1).contains(value)) } }
    }

    @Test func domainsReportCurrentAndBestAccuracyAndTheDropBetweenThem() throws {
        let (learner, report) = try build()
        #expect(report.domains.map(\.name) == learner.domains.map(\.name))
        for (j, d) in report.domains.enumerated() {
            let column = report.accuracyMatrix.compactMap { $0[j] }
            #expect(d.accuracy == column.last)
            #expect(d.bestAccuracy == column.max())
            let drop = try #require(d.drop)
            #expect(drop >= 0 && abs(drop - ((column.max() ?? 0) - (column.last ?? 0))) < 1e-12)
            #expect(d.samples == learner.domains[j].heldOut.count)
            #expect(d.detection == report.phases[d.firstPhase].detection, "the evidence of its first phase")
            #expect(d.routingAccuracy.map { (0...1).contains($0) } == true)
        }
        #expect(report.domains[0].experts.count == 2, "the known-domain phase grew a second expert for alpha")
    }

    @Test func expertsCarryLineageCreationPhaseAndEachDomainsLoadSharesSumToOne() throws {
        let (learner, report) = try build()
        let model = try #require(learner.model)
        #expect(report.experts.map(\.id) == model.experts.map(\.id))
        for (e, source) in zip(report.experts, model.experts) {
            #expect(e.parent == source.parent && e.domain == source.domain && e.frozen == source.isFrozen)
            #expect(e.parameters == source.shape.parameterCount)
            #expect(e.createdPhase.map { report.phases[$0].grown.contains(e.id) } == true)
        }
        for d in report.domains {
            let total = report.experts.reduce(0) { $0 + ($1.load[d.name] ?? 0) }
            #expect(abs(total - 1) < 1e-9, "\(d.name) load sums to \(total)")
        }
    }

    @Test func metricsMatchTheLearnersContinualMetrics() throws {
        let (learner, report) = try build()
        let expected = try #require(learner.metrics)
        let metrics = try #require(report.metrics)
        #expect(metrics.averageAccuracy == expected.averageAccuracy)
        #expect(metrics.averageForgetting == expected.averageForgetting)
        #expect(metrics.backwardTransfer == expected.backwardTransfer)
        #expect(metrics.forwardTransfer == nil)
    }

    @Test func aLearnerWithNoPhaseGivesAnEmptyReportThatStillRenders() throws {
        let report = Report(learner: LifelongLearner(), model: "default")
        #expect(report.phases.isEmpty && report.domains.isEmpty && report.experts.isEmpty && report.metrics == nil)
        for format in ReportFormat.allCases { #expect(try !report.render(format).isEmpty) }
    }

    @Test func jsonRoundTripsToAnEqualReportWithNullsForAbsentValues() throws {
        let (_, report) = try build()
        for value in [report, ReportFixtures.small] {
            let json = try value.render(.json)
            #expect(try JSONRenderer.decode(json) == value)
        }
        let small = try ReportFixtures.small.render(.json)
        #expect(small.contains(#""parent" : null"#))
        #expect(small.contains(#""forward_transfer" : null"#))
        #expect(small.contains(#""job" : null"#))
    }

    @Test func formatNamesParseAndUnknownOnesFailWithAOneLineMessage() throws {
        #expect(try ReportFormat(parsing: "HTML") == .html)
        #expect(throws: ReportError.unknownFormat(name: "pdf")) { try ReportFormat(parsing: "pdf") }
        #expect(ReportError.unknownFormat(name: "pdf").description == "unknown report format 'pdf'; use one of table, json, markdown, html")
    }

    @Test func aNonFiniteNumberFailsJSONRenderingWithAReportError() {
        var report = ReportFixtures.small
        report.phases[0].timings.total = .nan
        #expect(throws: ReportError.self) { try report.render(.json) }
    }
}

/// The drift section: the timeline of window p-values with events marked, in every format.
@Suite struct DriftSectionTests {
    @Test func everyFormatShowsTheTimelineAndTheEvents() throws {
        let report = ReportFixtures.drifting
        #expect(report.drift?.timeline == "····×▲×")
        for format in [ReportFormat.table, .markdown, .html] {
            let text = try report.render(format)
            #expect(text.contains("Drift in prediction inputs") && text.contains("····×▲×") && text.contains("768"), "\(format)")
        }
        let html = try report.render(.html)
        #expect(html.components(separatedBy: "<title>window ").count - 1 == 7, "one bar per window")
        #expect(html.contains("Drift timeline"))
        let decoded = try JSONDecoder().decode(Report.self, from: Data(try report.render(.json).utf8))
        #expect(decoded == report, "the JSON round-trips")
        #expect(try !ReportFixtures.small.render(.table).contains("Drift"), "no watch, no section")
    }
}
