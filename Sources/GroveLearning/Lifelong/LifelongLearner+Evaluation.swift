import GroveModel
import GroveNumerics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LifelongLearner {
    /// Evaluates the current model on every domain's fixed evaluation sample: the first
    /// ``LifelongConfig/evaluationSamples`` rows of its held-out set (all of them when
    /// `limit` is nil).
    func evaluateAll(limit: Int?) throws -> [DomainEvaluation] {
        guard let model else { return [] }
        let predictor = try MoEPredictor(model: model)
        return try domains.map { domain in
            let rows = try blobs.prefix(limit ?? Int.max, of: domain.heldOut, dimension: model.inputs,
                                        what: "held-out rows of \(domain.name)")
            return evaluate(domain: domain, x: Matrix(rows: rows.labels.count, cols: model.inputs, storage: rows.features),
                            y: rows.labels, predictor: predictor, model: model)
        }
    }

    /// Evaluates the latest model on the whole held-out set of every domain (a phase evaluates
    /// a fixed sample of each): accuracy, loss, routing and expert load per domain.
    /// - Throws: a `SnapshotError` or the archive's error when a held-out chunk cannot be read.
    public func evaluateFully() throws -> [DomainEvaluation] {
        try evaluateAll(limit: nil)
    }

    /// Accuracy over every class seen so far, loss, routing accuracy and expert load shares.
    func evaluate(domain: DomainState, x: Matrix, y: [Int32], predictor: MoEPredictor, model: MixtureOfExperts) -> DomainEvaluation {
        let c = model.classCount
        let own = Set(domain.experts)
        var correct = 0, routedHome = 0
        var loss: Double = 0
        var load = [Int](repeating: 0, count: model.experts.count)
        var assignments = 0
        x.storage.withUnsafeBufferPointer { xb in
            guard let base = xb.baseAddress else { return }
            let block = 1024
            var start = 0
            while start < x.rows {
                let rows = min(block, x.rows - start)
                predictor.predict(x: base + start * x.cols, rows: rows) { probs, chosen in
                    let k = chosen.count / max(rows, 1)
                    guard let first = probs.baseAddress else { return }
                    for r in 0..<rows {
                        let p = first + r * c
                        var best = 0
                        for j in 1..<c where p[j] > p[best] { best = j }
                        let label = Int(y[start + r])
                        if best == label { correct += 1 }
                        loss -= Double(logf(max(p[label], 1e-30)))
                        let first = Int(chosen[r * k])
                        if first >= 0, own.contains(model.experts[first].id) { routedHome += 1 }
                        for j in 0..<k where chosen[r * k + j] >= 0 {
                            load[Int(chosen[r * k + j])] += 1
                            assignments += 1
                        }
                    }
                }
                start += rows
            }
        }
        let n = Double(max(x.rows, 1))
        var shares: [Int: Double] = [:]
        for (row, count) in load.enumerated() where count > 0 {
            shares[model.experts[row].id] = Double(count) / Double(max(assignments, 1))
        }
        return DomainEvaluation(domain: domain.name, accuracy: Double(correct) / n, loss: loss / n,
                                routingAccuracy: Double(routedHome) / n, samples: x.rows, expertLoad: shares)
    }
}
