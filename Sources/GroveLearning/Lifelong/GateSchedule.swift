import GroveModel
import GroveNumerics

/// The step loop of gate retraining: batches drawn from a ``GatePool``, a cosine learning
/// rate over the budget, and early stopping on the pool's validation split.
struct GateSchedule {
    let config: LifelongConfig
    let seed: UInt64

    /// Trains the trainer's gate; returns the model with the best gate seen and the steps run.
    /// - Throws: `CancellationError` when the monitor stops the phase, or a `ModelError`.
    func run(_ trainer: MoETrainer, on pool: GatePool, monitor: PhaseMonitor) throws -> (model: MixtureOfExperts, steps: Int) {
        let steps = config.gateSteps, rows = config.gateBatchSize
        guard steps > 0, rows > 0, !pool.parts.isEmpty else { return (trainer.model, 0) }
        var batch = Batch(rows: rows, dimension: pool.dimension, experts: pool.experts)
        let phaseShare = Self.phaseShare(config: config, domains: pool.parts.count)
        var rng = SeededRNG.derived(seed: seed, stream: 0xBA7C)
        let peak = config.gatePeakLearningRate(domains: pool.parts.count)
        let warmup = min(config.gateWarmupSteps, steps / 10)
        var best: (loss: Float, model: MixtureOfExperts)?
        var stale = 0
        var run = 0
        for step in 0..<steps {
            if monitor.shouldStop() { throw CancellationError() }
            run = step + 1
            batch.draw(from: pool, phaseShare: phaseShare, rng: &rng)
            trainer.learningRate = peak * Self.learningRateFactor(step: step, total: steps, warmup: warmup)
            try batch.step(trainer)
            monitor.progress(Double(run) / Double(steps))
            guard run % max(1, config.gateValidationInterval) == 0, let stats = try validation(trainer, pool: pool) else { continue }
            // An improvement counts when the loss falls by more than a thousandth.
            if let current = best, stats.loss >= current.loss * (1 - 1e-3) {
                stale += 1
            } else {
                stale = 0
            }
            if best.map({ stats.loss < $0.loss }) ?? true { best = (stats.loss, trainer.model) }
            if stale >= config.gatePatience { break }
        }
        guard let best, let last = try validation(trainer, pool: pool), last.loss >= best.loss else { return (trainer.model, run) }
        return (best.model, run)
    }

    /// The learning rate at `step` of `total` as a share of the peak: a linear ramp over the
    /// first `warmup` steps, then cosine decay over the whole budget.
    static func learningRateFactor(step: Int, total: Int, warmup: Int) -> Float {
        let ramp = warmup > 0 ? min(1, Float(step + 1) / Float(warmup)) : 1
        return ramp * LearningRateSchedule.cosine.factor(step: step, total: total)
    }

    /// The probability that a row is drawn from the phase's own domain before the uniform draw
    /// over all `domains`, so that the own domain's share is at least
    /// ``LifelongConfig/gatePhaseDomainMinimumShare`` (0 while 1/n is at least that share).
    static func phaseShare(config: LifelongConfig, domains n: Int) -> Double {
        guard n > 1 else { return 0 }
        let uniform = 1 / Double(n)
        return max(0, (config.gatePhaseDomainMinimumShare - uniform) / (1 - uniform))
    }

    /// The losses and routing on the validation rows (no routing noise); nil without rows.
    private func validation(_ trainer: MoETrainer, pool: GatePool) throws(ModelError) -> StepStats? {
        let rows = pool.validationLabels.count
        guard rows > 0 else { return nil }
        return try pool.validationFeatures.withUnsafeBufferPointer { x throws(ModelError) -> StepStats? in
            try pool.validationLabels.withUnsafeBufferPointer { y throws(ModelError) -> StepStats? in
                try pool.validationGroups.withUnsafeBufferPointer { t throws(ModelError) -> StepStats? in
                    try pool.validationLikelihoods.withUnsafeBufferPointer { l throws(ModelError) -> StepStats? in
                        guard let xp = x.baseAddress, let yp = y.baseAddress, let tp = t.baseAddress, let lp = l.baseAddress else { return nil }
                        return try trainer.gateStep(x: xp, labels: yp, rows: rows, routingTargets: tp, likelihoods: lp, update: false)
                    }
                }
            }
        }
    }
}

/// One gate batch, its buffers allocated once and refilled every step.
private struct Batch {
    let rows: Int
    let dimension: Int
    let experts: Int
    var features: [Float]
    var labels: [Int32]
    var groups: [Int32]
    var likelihoods: [Float]

    init(rows: Int, dimension: Int, experts: Int) {
        self.rows = rows
        self.dimension = dimension
        self.experts = experts
        features = [Float](repeating: 0, count: rows * dimension)
        labels = [Int32](repeating: 0, count: rows)
        groups = [Int32](repeating: 0, count: rows)
        likelihoods = [Float](repeating: 0, count: rows * experts)
    }

    /// Fills the batch: each row from the phase's own domain with probability `phaseShare`, else
    /// from a domain drawn uniformly, then a row of that domain drawn uniformly.
    mutating func draw(from pool: GatePool, phaseShare: Double, rng: inout SeededRNG) {
        let d = dimension, e = experts
        likelihoods.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        pool.features.withUnsafeBufferPointer { source in
            features.withUnsafeMutableBufferPointer { target in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                for r in 0..<rows {
                    let part: Int
                    if let phase = pool.phasePart, Double(rng.nextUnitFloat()) < phaseShare {
                        part = phase
                    } else {
                        part = Self.uniform(pool.parts.count, &rng)
                    }
                    let p = pool.parts[part]
                    let local = Self.uniform(p.range.count, &rng)
                    let row = p.range.lowerBound + local
                    (to + r * d).update(from: from + row * d, count: d)
                    labels[r] = pool.labels[row]
                    groups[r] = pool.groups[row]
                    for (j, expert) in p.experts.enumerated() {
                        likelihoods[r * e + expert] = p.likelihoods[local * p.experts.count + j]
                    }
                }
            }
        }
    }

    /// A uniform draw from `0..<count` (`count > 0`).
    private static func uniform(_ count: Int, _ rng: inout SeededRNG) -> Int {
        Int(UInt64(count).multipliedFullWidth(by: rng.next()).high)
    }

    /// One training step of the gate on the batch.
    func step(_ trainer: MoETrainer) throws(ModelError) {
        try features.withUnsafeBufferPointer { x throws(ModelError) in
            try labels.withUnsafeBufferPointer { y throws(ModelError) in
                try groups.withUnsafeBufferPointer { t throws(ModelError) in
                    try likelihoods.withUnsafeBufferPointer { l throws(ModelError) in
                        guard let xp = x.baseAddress, let yp = y.baseAddress, let tp = t.baseAddress, let lp = l.baseAddress else { return }
                        try trainer.gateStep(x: xp, labels: yp, rows: rows, routingTargets: tp, likelihoods: lp, update: true)
                    }
                }
            }
        }
    }
}
