import Foundation
import Testing
@testable import GroveReport

/// Render time of a large report. Disabled unless `GROVE_REPORT_BENCH=1`; it prints the time
/// and asserts nothing about it (target: under a second in release for 100 domains × 100 phases).
@Suite struct ReportBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GROVE_REPORT_BENCH"] == "1"))
    func renderingAReportOfOneHundredDomainsAndOneHundredPhases() throws {
        let report = ReportFixtures.synthetic(domains: 100, phases: 100)
        let clock = ContinuousClock()
        var total = Duration.zero
        for format in ReportFormat.allCases {
            var text = ""
            var best = Duration.seconds(1000)
            for _ in 0..<3 {
                let elapsed = try clock.measure { text = try report.render(format) }
                best = min(best, elapsed)
            }
            total += best
            print("report 100x100 \(format.rawValue): \(best) (best of 3), \(text.utf8.count) bytes")
            #expect(!text.isEmpty)
        }
        print("report 100x100 all formats: \(total)")
    }
}
