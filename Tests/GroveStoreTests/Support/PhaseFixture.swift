import Foundation
import GroveStore

/// Small, deterministic phase commits for the tests.
enum PhaseFixture {
    /// Distinct bytes for a blob, derived from `tag`.
    static func bytes(_ tag: String, count: Int = 64) -> Data {
        var data = Data(tag.utf8)
        var x: UInt8 = UInt8(truncatingIfNeeded: tag.utf8.reduce(0) { $0 &+ Int($1) })
        while data.count < count {
            x = x &* 31 &+ 7
            data.append(x)
        }
        return data
    }

    /// A phase of `jobID` on `domain` growing `parents.count` experts with those parents, and
    /// one accuracy row for each domain in `evaluated` (all 0.5 unless given).
    static func phase(
        jobID: Int64, domain: String, parents: [ExpertReference?] = [nil],
        evaluated: [String]? = nil, accuracy: [String: Double] = [:],
        labels: [String] = ["a", "b"], inputDimension: Int = 4
    ) -> PhaseCommit {
        let experts = parents.enumerated().map { index, parent in
            PhaseCommit.Expert(
                parent: parent, hiddenDimension: 8, classes: [0, 1],
                weights: bytes("weights-\(jobID)-\(index)"), checksum: "checksum-\(jobID)-\(index)")
        }
        let evaluations = (evaluated ?? [domain]).flatMap { name in
            [
                PhaseCommit.Evaluation(domain: name, metric: .accuracy, value: accuracy[name] ?? 0.5, sampleCount: 10),
                PhaseCommit.Evaluation(domain: name, metric: .loss, value: 0.7, sampleCount: 10),
            ]
        }
        return PhaseCommit(
            jobID: jobID, inputDimension: inputDimension, labels: labels,
            domain: .init(name: domain, signature: bytes("signature-\(domain)")),
            dataset: .init(
                format: "csv", featureCount: inputDimension, classCount: 2, trainCount: 85, testCount: 15,
                splitSeed: UInt64.max - UInt64(jobID), heldOut: bytes("held-out-\(jobID)")),
            detection: .init(decision: .new, statistic: 0.2, pValue: 0.01),
            gate: .init(parameters: bytes("gate-\(jobID)"), hiddenDimension: 0, topK: 2),
            experts: experts,
            evaluations: evaluations,
            replay: [.init(domain: domain, samples: bytes("replay-\(jobID)"), sampleCount: 5)],
            events: [.init(kind: .phase, message: "grew \(experts.count) experts")])
    }
}
