import GroveModel
import GroveNumerics

/// The replay rows one gate retraining reads — a bounded, domain-balanced sample of every
/// domain's reservoir, with a small balanced validation split set aside — and, for each row,
/// the probability its own domain's frozen experts give its label, computed once so that gate
/// steps never run an expert.
struct GatePool {
    /// One domain's training rows.
    struct Part {
        /// The rows' positions in the pool.
        var range: Range<Int>
        /// Gate rows of the domain's experts.
        var experts: [Int]
        /// `p_e(y|x)` of each row (rows of `range`, then `experts`).
        var likelihoods: [Float]
    }

    /// Features per row.
    let dimension: Int
    /// Experts the gate routes to.
    let experts: Int
    /// Training rows, domain after domain, row-major.
    var features: [Float] = []
    /// Their labels.
    var labels: [Int32] = []
    /// Their routing targets (the domain's group).
    var groups: [Int32] = []
    /// The training rows of each domain that has any.
    var parts: [Part] = []
    /// Position in ``parts`` of the phase's own domain, if it has rows.
    var phasePart: Int?
    /// Validation rows, row-major, with their labels, groups and `(rows, experts)` likelihoods.
    var validationFeatures: [Float] = []
    var validationLabels: [Int32] = []
    var validationGroups: [Int32] = []
    var validationLikelihoods: [Float] = []

    /// Training rows.
    var count: Int { labels.count }

    /// The training rows as a matrix.
    var matrix: Matrix { Matrix(rows: count, cols: dimension, storage: features) }

    /// Reserves room for `rows` training and `validation` validation rows, so that adding
    /// domain after domain copies each row once instead of regrowing (and refaulting) the
    /// buffers.
    mutating func reserve(rows: Int, validation: Int) {
        features.reserveCapacity(rows * dimension)
        labels.reserveCapacity(rows)
        groups.reserveCapacity(rows)
        validationFeatures.reserveCapacity(validation * dimension)
        validationLabels.reserveCapacity(validation)
        validationGroups.reserveCapacity(validation)
        validationLikelihoods.reserveCapacity(validation * experts)
    }

    /// Adds a domain's rows: the first `validation` to the validation split, the rest to training.
    /// - Parameter likelihoods: `p_e(y|x)` of every row for each of `experts` (expert-major).
    mutating func add(group: Int32, features x: [Float], labels y: [Int32], experts own: [Int], likelihoods: [[Float]],
                      validation: Int, isPhaseDomain: Bool) {
        let held = min(validation, y.count)
        validationFeatures.append(contentsOf: x[0..<(held * dimension)])
        validationLabels.append(contentsOf: y[0..<held])
        validationGroups.append(contentsOf: repeatElement(group, count: held))
        for r in 0..<held {
            let row = validationLikelihoods.count
            validationLikelihoods.append(contentsOf: repeatElement(0, count: experts))
            for (j, e) in own.enumerated() { validationLikelihoods[row + e] = likelihoods[j][r] }
        }
        let start = labels.count
        features.append(contentsOf: x[(held * dimension)...])
        labels.append(contentsOf: y[held...])
        groups.append(contentsOf: repeatElement(group, count: y.count - held))
        guard labels.count > start else { return }
        var values = [Float]()
        values.reserveCapacity((y.count - held) * own.count)
        for r in held..<y.count { for j in own.indices { values.append(likelihoods[j][r]) } }
        if isPhaseDomain { phasePart = parts.count }
        parts.append(Part(range: start..<labels.count, experts: own, likelihoods: values))
    }
}

extension LifelongLearner {
    /// Draws the pool of a gate retraining of `model`: from each domain, seeded random chunks of
    /// its reservoir until it has its quota, then a seeded random choice of their rows.
    func drawGatePool(phaseDomain: Int, seed: UInt64, model: MixtureOfExperts) throws -> GatePool {
        let n = domains.count, d = model.inputs
        let share = GateSchedule.phaseShare(config: config, domains: n)
        let quota = max(config.gateMinimumRowsPerDomain, Int(Double(config.gatePoolRows) * (1 - share) / Double(n)))
        let phaseQuota = max(quota, Int(Double(config.gatePoolRows) * share))
        let validation = max(2, config.gateValidationRows / n)
        let gateRow = Dictionary(model.experts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var pool = GatePool(dimension: d, experts: model.experts.count)
        // Exactly the rows the domains will give: a small reservoir gives fewer than its quota,
        // and a reservation sized by quotas alone would ask wide inputs for gigabytes.
        let taken = domains.enumerated().map { index, domain in
            min((index == phaseDomain ? phaseQuota : quota) + validation, domain.replay.rows.count)
        }
        let held = taken.map { min(validation, $0 / 5) }
        pool.reserve(rows: zip(taken, held).map { $0 - $1 }.reduce(0, +), validation: held.reduce(0, +))
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
            let read = try blobs.rows(chosen, dimension: d, what: "replay of \(domain.name)")
            let order = Array(SeededSubsample.permutation(count: read.labels.count, rng: &rng).prefix(wanted))
            let x = read.features.withUnsafeBufferPointer { SeededSubsample.gather($0, dimension: d, rows: order) }
            let y = order.map { read.labels[$0] }
            let own = domain.experts.compactMap { gateRow[$0] }
            let likelihoods = try x.withUnsafeBufferPointer { xb in
                try y.withUnsafeBufferPointer { yb in
                    try own.map { e in
                        guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return [Float]() }
                        return try model.likelihoods(ofExpertAt: e, x: xp, labels: yp, rows: y.count)
                    }
                }
            }
            // Small reservoirs keep at least four fifths of their rows for training.
            pool.add(group: domain.group, features: x, labels: y, experts: own, likelihoods: likelihoods,
                     validation: min(validation, y.count / 5), isPhaseDomain: index == phaseDomain)
        }
        return pool
    }
}
