import GroveNumerics

/// The replay rows one gate retraining reads: a bounded, domain-balanced sample of every
/// domain's reservoir, and a small balanced validation split set aside from it.
struct GatePool {
    /// Features per row.
    let dimension: Int
    /// Training rows, domain after domain, row-major.
    var features: [Float] = []
    /// Their labels.
    var labels: [Int32] = []
    /// Their routing targets (the domain's group).
    var groups: [Int32] = []
    /// The training rows of each domain that has any, by domain index.
    var ranges: [Int: Range<Int>] = [:]
    /// Validation rows, row-major, with their labels and groups.
    var validationFeatures: [Float] = []
    var validationLabels: [Int32] = []
    var validationGroups: [Int32] = []

    /// Training rows.
    var count: Int { labels.count }

    /// The training rows as a matrix.
    var matrix: Matrix { Matrix(rows: count, cols: dimension, storage: features) }

    /// Adds a domain's rows: the first `validation` to the validation split, the rest to training.
    mutating func add(domain: Int, group: Int32, features x: [Float], labels y: [Int32], validation: Int) {
        let held = min(validation, y.count)
        validationFeatures.append(contentsOf: x[0..<(held * dimension)])
        validationLabels.append(contentsOf: y[0..<held])
        validationGroups.append(contentsOf: repeatElement(group, count: held))
        let start = labels.count
        features.append(contentsOf: x[(held * dimension)...])
        labels.append(contentsOf: y[held...])
        groups.append(contentsOf: repeatElement(group, count: y.count - held))
        if labels.count > start { ranges[domain] = start..<labels.count }
    }
}

extension LifelongLearner {
    /// Draws the pool of a gate retraining: from each domain, seeded random chunks of its
    /// reservoir until it has its quota, then a seeded random choice of their rows.
    func drawGatePool(phaseDomain: Int, seed: UInt64, dimension: Int) throws -> GatePool {
        let n = domains.count
        let share = config.gatePhaseDomainShare
        let quota = max(config.gateMinimumRowsPerDomain, Int(Double(config.gatePoolRows) * (1 - share) / Double(n)))
        let phaseQuota = max(quota, Int(Double(config.gatePoolRows) * share))
        let validation = max(2, config.gateValidationRows / n)
        var pool = GatePool(dimension: dimension)
        for (index, domain) in domains.enumerated() {
            var rng = SeededRNG.derived(seed: seed, stream: 0x9000 + UInt64(index))
            let chunks = domain.replay.rows.chunks
            let wanted = (index == phaseDomain ? phaseQuota : quota) + validation
            var chosen: [RowChunks.Chunk] = []
            var rows = 0
            for c in SeededSubsample.permutation(count: chunks.count, rng: &rng) where rows < wanted {
                chosen.append(chunks[c])
                rows += chunks[c].rows
            }
            let read = try blobs.rows(chosen, dimension: dimension, what: "replay of \(domain.name)")
            let order = SeededSubsample.permutation(count: read.labels.count, rng: &rng).prefix(wanted)
            var x = [Float]()
            x.reserveCapacity(order.count * dimension)
            read.features.withUnsafeBufferPointer { source in
                for r in order { x.append(contentsOf: source[(r * dimension)..<((r + 1) * dimension)]) }
            }
            // Small reservoirs keep at least four fifths of their rows for training.
            pool.add(domain: index, group: domain.group, features: x, labels: order.map { read.labels[$0] },
                     validation: min(validation, order.count / 5))
        }
        return pool
    }
}
