import GroveModel
import GroveNumerics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LifelongLearner {
    /// Evaluates the current model on every domain's fixed evaluation sample, the first
    /// ``DomainState/evaluationSamples`` rows of its held-out set, or on every held-out row
    /// when `fully`.
    ///
    /// Rows of several domains go through the model together, in blocks of
    /// ``evaluationBlockRows``, so that each block reads the experts' weights once however many
    /// domains share it; one block of rows is in memory at a time.
    func evaluateAll(fully: Bool) throws -> [DomainEvaluation] {
        guard let model else { return [] }
        let predictor = try MoEPredictor(sharing: model)
        let d = model.inputs
        var tallies = domains.map { EvaluationTally(domain: $0, model: model) }
        var block = EvaluationBlock(dimension: d)
        for (index, domain) in domains.enumerated() {
            let limit = fully ? Int.max : domain.evaluationSamples
            let rows = try blobs.prefix(limit, of: domain.heldOut, dimension: d, what: "held-out rows of \(domain.name)")
            block.append(domain: index, features: rows.features, labels: rows.labels)
            if block.count >= Self.evaluationBlockRows {
                block.run(predictor, classes: model.classCount, into: &tallies)
            }
        }
        block.run(predictor, classes: model.classCount, into: &tallies)
        return tallies.map(\.evaluation)
    }

    /// Rows evaluated together. A block's transient buffers (its rows, and each row copied
    /// once for each of its top-k experts) take about 40 KB a row: 80 MB at 2 048 rows would be
    /// a quarter of the process at 100 domains, at 8 192 rows.
    static let evaluationBlockRows = 2048

    /// Evaluates the latest model on the whole held-out set of every domain (a phase evaluates
    /// a fixed sample of each): accuracy, loss, routing and expert load per domain.
    /// - Throws: a `SnapshotError` or the archive's error when a held-out chunk cannot be read.
    public func evaluateFully() throws -> [DomainEvaluation] {
        try evaluateAll(fully: true)
    }
}

/// Held-out rows of one or more domains waiting to be evaluated.
private struct EvaluationBlock {
    let dimension: Int
    var features: [Float] = []
    var labels: [Int32] = []
    var domains: [Int] = []

    var count: Int { labels.count }

    mutating func append(domain: Int, features x: [Float], labels y: [Int32]) {
        features.append(contentsOf: x)
        labels.append(contentsOf: y)
        domains.append(contentsOf: repeatElement(domain, count: y.count))
    }

    /// Predicts every row and adds it to its domain's tally; empties the block and the
    /// predictor's batch buffers.
    mutating func run(_ predictor: MoEPredictor, classes c: Int, into tallies: inout [EvaluationTally]) {
        defer {
            predictor.releaseBatchBuffers()
            features.removeAll(keepingCapacity: true)
            labels.removeAll(keepingCapacity: true)
            domains.removeAll(keepingCapacity: true)
        }
        guard count > 0 else { return }
        let rows = count
        features.withUnsafeBufferPointer { xb in
            guard let x = xb.baseAddress else { return }
            predictor.predict(x: x, rows: rows) { probs, chosen in
                let k = chosen.count / max(rows, 1)
                guard let first = probs.baseAddress else { return }
                for r in 0..<rows {
                    tallies[domains[r]].add(probabilities: first + r * c, classes: c, label: Int(labels[r]),
                                            chosen: chosen[(r * k)..<((r + 1) * k)])
                }
            }
        }
    }
}

/// What one domain's evaluated rows add up to.
private struct EvaluationTally {
    let name: String
    let own: Set<Int>
    /// The gate row of each expert id's expert.
    let experts: [Int]
    var rows = 0
    var correct = 0
    var routedHome = 0
    var loss: Double = 0
    var load: [Int]
    var assignments = 0

    init(domain: DomainState, model: MixtureOfExperts) {
        name = domain.name
        own = Set(domain.experts)
        experts = model.experts.map(\.id)
        load = [Int](repeating: 0, count: model.experts.count)
    }

    /// Adds one row: its class probabilities, label and chosen experts (gate rows, −1 none).
    mutating func add(probabilities p: UnsafePointer<Float>, classes c: Int, label: Int, chosen: Slice<UnsafeBufferPointer<Int32>>) {
        rows += 1
        var best = 0
        for j in 1..<c where p[j] > p[best] { best = j }
        if best == label { correct += 1 }
        loss -= Double(logf(max(p[label], 1e-30)))
        if let first = chosen.first, first >= 0, own.contains(experts[Int(first)]) { routedHome += 1 }
        for e in chosen where e >= 0 {
            load[Int(e)] += 1
            assignments += 1
        }
    }

    /// Accuracy over every class seen so far, loss, routing accuracy and expert load shares.
    var evaluation: DomainEvaluation {
        let n = Double(max(rows, 1))
        var shares: [Int: Double] = [:]
        for (row, count) in load.enumerated() where count > 0 {
            shares[experts[row]] = Double(count) / Double(max(assignments, 1))
        }
        return DomainEvaluation(domain: name, accuracy: Double(correct) / n, loss: loss / n,
                                routingAccuracy: Double(routedHome) / n, samples: rows, expertLoad: shares)
    }
}
