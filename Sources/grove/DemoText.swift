import Foundation
import GroveLearning
import GroveReport

/// Plain-text lines of `grove demo`.
enum DemoText {
    /// One line per phase: domain, detection evidence, growth and timings.
    static func phaseLine(_ r: PhaseReport) -> String {
        let d = r.detection
        let nearest = d.nearestDomain ?? "-"
        let evidence = d.statistic.map { stat in
            String(format: "MMD² %.4f  p %.3f", stat, d.pValue ?? 1)
        } ?? "no known domain"
        var line = String(format: "phase %d  %-16@ %-5@ nearest %-16@ %@  grew %@  train %.1fs  gate %.1fs (%d steps)  total %.1fs",
                          r.index, r.domain as NSString, d.decision.rawValue as NSString, nearest as NSString,
                          evidence as NSString, r.grown.map(String.init).joined(separator: ",") as NSString,
                          r.timings.trainExperts, r.timings.retrainGate, r.gateSteps ?? 0, r.timings.total)
        if let note = r.contradiction { line += "\n        note: \(note)" }
        return line
    }

    /// The accuracy matrix, the final per-domain table and the stream metrics, from the model's
    /// report (which the store's rows give).
    static func summary(_ report: Report, stream: String, seconds: Double) -> String {
        var out: [String] = []
        func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        out.append("accuracy after each phase (rows) on each domain (columns):")
        out.append("phase  " + report.domains.map { pad(String($0.name.prefix(10)), 11) }.joined())
        for (i, row) in report.accuracyMatrix.enumerated() {
            out.append(pad("\(i)", 7) + row.map { pad(number($0), 11) }.joined())
        }
        out.append("")
        out.append("domain            accuracy  best    routing  experts")
        for domain in report.domains where domain.accuracy != nil {
            out.append(pad(domain.name, 18) + pad(number(domain.accuracy), 10) + pad(number(domain.bestAccuracy), 8)
                       + pad(number(domain.routingAccuracy), 9) + domain.experts.map(String.init).joined(separator: ","))
        }
        guard let m = report.metrics else { return out.joined(separator: "\n") }
        out.append("")
        out.append(String(format: "%@: average accuracy %.4f, average forgetting %.4f, backward transfer %+.4f, %d experts, %.1f s",
                          stream as NSString, m.averageAccuracy, m.averageForgetting, m.backwardTransfer,
                          report.experts.count, seconds))
        return out.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
