import Foundation
import GroveService

/// Plain-text output of `grove bench --stream`: one line per phase, then the summary.
enum StreamBenchText {
    /// The column heads of ``line(_:)``.
    static let header: String = {
        let heads = ["phase", "domain", "detect", "experts", "gate", "eval", "learn", "other", "wall", "rss MB", "peak MB",
                     "acc", "forget", "route"]
        return String(format: "%5@  %-14@ %8@ %8@ %8@ %8@ %8@ %8@ %8@ %8@ %8@  %7@ %7@ %7@",
                      arguments: heads.map { $0 as NSString })
    }()

    /// One phase: seconds, memory and quality.
    static func line(_ p: StreamBenchPhase) -> String {
        String(format: "%5d  %-14@ %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8@ %8@  %7@ %7@ %7@",
               p.phase, p.domain as NSString, p.detectSeconds, p.expertsSeconds, p.gateSeconds, p.evaluateSeconds,
               p.learnSeconds, p.otherSeconds, p.wallSeconds, megabytes(p.rssMB) as NSString,
               megabytes(p.peakRSSMB) as NSString, percent(p.averageAccuracy) as NSString,
               percent(p.averageForgetting) as NSString, percent(p.minRoutingAccuracy) as NSString)
    }

    /// The totals, growth ratios and final quality, one figure a line.
    static func summary(_ r: StreamBenchReport) -> String {
        let s = r.summary, settings = r.settings
        func seconds(_ v: Double?) -> String { v.map { String(format: "%.2f s", $0) } ?? "-" }
        func ratio(_ v: Double?) -> String { v.map { String(format: "%.2f×", $0) } ?? "-" }
        return [
            "stream: \(settings.domains) permuted domains of \(settings.samples) + \(settings.testSamples) images, seed \(settings.seed), OpenBLAS \(settings.blasCore) × \(settings.blasThreads)",
            String(format: "total %.1f s (data prepared in %.1f s)", s.totalSeconds, s.prepareSeconds),
            "mean phase wall time, phases 6-15: \(seconds(s.meanWallEarly)); last 10: \(seconds(s.meanWallLast10)); ratio \(ratio(s.wallRatio))",
            "peak RSS after phase 10: \(megabytes(s.peakRSSPhase10)) MB; at the end: \(megabytes(s.peakRSSEnd)) MB; ratio \(ratio(s.peakRSSRatio))"
                + (settings.peakRSSReset ? "" : " (includes reading Fashion-MNIST)"),
            "final average accuracy \(percent(s.finalAverageAccuracy)), forgetting \(percent(s.finalAverageForgetting)), min routing accuracy \(percent(s.finalMinRoutingAccuracy))",
        ].joined(separator: "\n")
    }

    /// `123.4`, or `-` when unknown.
    private static func megabytes(_ value: Double?) -> String {
        value.map { String(format: "%.1f", $0) } ?? "-"
    }
}
