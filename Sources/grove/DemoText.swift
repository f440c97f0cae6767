import Foundation
import GroveLearning

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

    /// The accuracy matrix, the final per-domain table and the stream metrics.
    static func summary(_ learner: LifelongLearner, stream: String, seconds: Double) -> String {
        var out: [String] = []
        let names = learner.domains.map(\.name)
        out.append("accuracy after each phase (rows) on each domain (columns):")
        out.append("phase  " + names.map { pad(String($0.prefix(10)), 11) }.joined())
        for (i, row) in learner.accuracy.enumerated() {
            out.append(pad("\(i)", 7) + row.map { pad($0.map { String(format: "%.3f", $0) } ?? "-", 11) }.joined())
        }
        out.append("")
        out.append("domain            accuracy  best    routing  experts")
        let last = learner.phases.last?.evaluations ?? []
        for (j, domain) in learner.domains.enumerated() {
            guard let e = last.first(where: { $0.domain == domain.name }) else { continue }
            let best = learner.accuracy.compactMap { $0.count > j ? $0[j] : nil }.max() ?? e.accuracy
            out.append(pad(domain.name, 18) + pad(String(format: "%.3f", e.accuracy), 10) + pad(String(format: "%.3f", best), 8)
                       + pad(String(format: "%.3f", e.routingAccuracy), 9) + domain.experts.map(String.init).joined(separator: ","))
        }
        guard let m = learner.metrics else { return out.joined(separator: "\n") }
        out.append("")
        out.append(String(format: "%@: average accuracy %.4f, average forgetting %.4f, backward transfer %+.4f, %d experts, %.1f s",
                          stream as NSString, m.averageAccuracy, m.averageForgetting, m.backwardTransfer,
                          learner.model?.experts.count ?? 0, seconds))
        return out.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
