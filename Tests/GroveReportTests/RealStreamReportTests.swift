import Foundation
import GroveData
import GroveLearning
import Testing
@testable import GroveReport

/// Runs the real 5-domain split Fashion-MNIST stream and writes its HTML report to the path in
/// `GROVE_REPORT_HTML` (with the JSON and table beside it). Disabled unless that is set;
/// `.ci/report-screenshot` runs it in release and screenshots the page.
@Suite struct RealStreamReportTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GROVE_REPORT_HTML"] != nil))
    func splitFashionMNISTReportIsWrittenAsHTML() throws {
        let path = try #require(ProcessInfo.processInfo.environment["GROVE_REPORT_HTML"])
        let runner = StreamRunner(manifest: try BuiltinStream.splitFashionMNIST.manifest(), config: LifelongConfig())
        let learner = try runner.run { phase, _ in
            print("phase \(phase.index) \(phase.domain): \(phase.detection.decision.rawValue), \(String(format: "%.1f", phase.timings.total)) s")
        }
        let report = Report(learner: learner, model: "default")
        let html = try report.render(.html)
        try Data(html.utf8).write(to: URL(fileURLWithPath: path))
        let base = URL(fileURLWithPath: path).deletingPathExtension()
        try Data(report.render(.json).utf8).write(to: base.appendingPathExtension("json"))
        try Data(report.render(.table).utf8).write(to: base.appendingPathExtension("txt"))
        print(try report.render(.table))
        #expect(report.domains.count == 5)
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
    }
}
