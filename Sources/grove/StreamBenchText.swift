import Foundation
import GroveService

/// Plain-text output of `grove bench --stream`: one line per phase, then the summary.
enum StreamBenchText {
    /// The column heads of ``line(_:)``.
    static let header = row(["phase", "domain", "detect", "experts", "gate", "eval", "learn", "other", "wall",
                             "rss MB", "peak MB", "acc", "forget", "route"])

    /// One phase: seconds, memory and quality.
    static func line(_ p: StreamBenchPhase) -> String {
        let seconds = [p.detectSeconds, p.expertsSeconds, p.gateSeconds, p.evaluateSeconds, p.learnSeconds,
                       p.otherSeconds, p.wallSeconds].map { String(format: "%.2f", $0) }
        return row(["\(p.phase)", p.domain] + seconds + [megabytes(p.rssMB), megabytes(p.peakRSSMB),
                   percent(p.averageAccuracy), percent(p.averageForgetting), percent(p.minRoutingAccuracy)])
    }

    /// Column widths: the phase, the domain (left-aligned), seven times, two sizes, three shares.
    private static let widths = [5, 14] + Array(repeating: 8, count: 9) + Array(repeating: 7, count: 3)

    /// `cells` in ``widths``, right-aligned but for the domain.
    private static func row(_ cells: [String]) -> String {
        zip(cells, widths).enumerated().map { i, pair in
            let (cell, width) = pair
            let fill = String(repeating: " ", count: max(0, width - cell.count))
            return i == 1 ? cell + fill : fill + cell
        }
        .joined(separator: " ")
    }

    /// The totals, growth ratios and final quality, one figure a line.
    static func summary(_ r: StreamBenchReport) -> String {
        let s = r.summary, settings = r.settings
        func seconds(_ v: Double?) -> String { v.map { String(format: "%.2f s", $0) } ?? "-" }
        func ratio(_ v: Double?) -> String { v.map { String(format: "%.2f×", $0) } ?? "-" }
        return [
            "stream: \(settings.domains) permuted domains of \(settings.samples) + \(settings.testSamples) images, seed \(settings.seed), OpenBLAS \(settings.blasCore) × \(settings.blasThreads)",
            String(format: "total %.1f s (data prepared in %.1f s)", s.totalSeconds, s.prepareSeconds),
            "mean phase wall time, domains 6-15: \(seconds(s.meanWallEarly)); last 10: \(seconds(s.meanWallLast10)); ratio \(ratio(s.wallRatio))",
            "peak RSS at 10 domains: \(megabytes(s.peakRSSPhase10)) MB; at the end: \(megabytes(s.peakRSSEnd)) MB; ratio \(ratio(s.peakRSSRatio))"
                + (settings.peakRSSReset ? "" : " (includes reading Fashion-MNIST)"),
            "final average accuracy \(percent(s.finalAverageAccuracy)), forgetting \(percent(s.finalAverageForgetting)), min routing accuracy \(percent(s.finalMinRoutingAccuracy))",
            s.fullEvaluation.map { f in
                "whole held-out sets (\(f.samples) images, \(String(format: "%.1f s", f.seconds))): average accuracy \(percent(f.averageAccuracy)), "
                    + "min accuracy \(percent(f.minAccuracy)), min routing accuracy \(percent(f.minRoutingAccuracy))"
            } ?? "whole held-out sets: not evaluated",
        ].joined(separator: "\n")
    }

    /// `123.4`, or `-` when unknown.
    private static func megabytes(_ value: Double?) -> String {
        value.map { String(format: "%.1f", $0) } ?? "-"
    }
}
