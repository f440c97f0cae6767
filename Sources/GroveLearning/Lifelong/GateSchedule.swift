import GroveModel
import GroveNumerics

/// The step loop of gate retraining: batches drawn from a ``GatePool``, a cosine learning
/// rate over the budget, and early stopping on the pool's validation split.
struct GateSchedule {
    let config: LifelongConfig
    let phaseDomain: Int
    let seed: UInt64

    /// Trains the trainer's gate and returns the model with the best gate seen.
    /// - Throws: `CancellationError` when the monitor stops the phase, or a `ModelError`.
    func run(_ trainer: MoETrainer, on pool: GatePool, monitor: PhaseMonitor) throws -> MixtureOfExperts {
        let d = pool.dimension, batch = config.gateBatchSize, steps = config.gateSteps
        let domains = pool.ranges.keys.sorted()
        let ranges = domains.compactMap { pool.ranges[$0] }
        let phasePosition = domains.firstIndex(of: phaseDomain)
        guard steps > 0, batch > 0, !ranges.isEmpty else { return trainer.model }
        var batchX = [Float](repeating: 0, count: batch * d)
        var batchY = [Int32](repeating: 0, count: batch)
        var batchT = [Int32](repeating: 0, count: batch)
        let validation = Validation(pool: pool)
        var rng = SeededRNG.derived(seed: seed, stream: 0xBA7C)
        let baseRate = config.gateLearningRate
        var best: (loss: Float, model: MixtureOfExperts)?
        var stale = 0
        for step in 0..<steps {
            if monitor.shouldStop() { throw CancellationError() }
            pool.features.withUnsafeBufferPointer { source in
                batchX.withUnsafeMutableBufferPointer { out in
                    guard let base = source.baseAddress, let target = out.baseAddress else { return }
                    for r in 0..<batch {
                        let range = ranges[position(phase: phasePosition, count: ranges.count, rng: &rng)]
                        let row = range.lowerBound + Int(UInt64(range.count).multipliedFullWidth(by: rng.next()).high)
                        (target + r * d).update(from: base + row * d, count: d)
                        batchY[r] = pool.labels[row]
                        batchT[r] = pool.groups[row]
                    }
                }
            }
            trainer.learningRate = baseRate * LearningRateSchedule.cosine.factor(step: step, total: steps)
            try Self.step(trainer, x: batchX, labels: batchY, groups: batchT)
            monitor.progress(Double(step + 1) / Double(steps))
            guard (step + 1) % max(1, config.gateValidationInterval) == 0, let loss = try validation.loss(trainer) else { continue }
            if let current = best, loss >= current.loss {
                stale += 1
                if stale >= config.gatePatience { break }
            } else {
                best = (loss, trainer.model)
                stale = 0
            }
        }
        guard let best, let loss = try validation.loss(trainer), loss >= best.loss else { return trainer.model }
        return best.model
    }

    /// The position of the next row's domain: the phase's own with its share, else one drawn
    /// uniformly.
    private func position(phase: Int?, count: Int, rng: inout SeededRNG) -> Int {
        if let phase, Double(rng.nextUnitFloat()) < config.gatePhaseDomainShare { return phase }
        return Int(UInt64(count).multipliedFullWidth(by: rng.next()).high)
    }

    /// One training step on a batch.
    private static func step(_ trainer: MoETrainer, x: [Float], labels: [Int32], groups: [Int32]) throws(ModelError) {
        try x.withUnsafeBufferPointer { xb throws(ModelError) in
            try labels.withUnsafeBufferPointer { yb throws(ModelError) in
                try groups.withUnsafeBufferPointer { tb throws(ModelError) in
                    guard let xp = xb.baseAddress, let yp = yb.baseAddress, let tp = tb.baseAddress else { return }
                    _ = try trainer.step(x: xp, labels: yp, rows: labels.count, routingTargets: tp)
                }
            }
        }
    }

    /// The pool's validation split.
    private struct Validation {
        let pool: GatePool

        /// The training objective on the validation rows (no routing noise); nil without rows.
        func loss(_ trainer: MoETrainer) throws(ModelError) -> Float? {
            let rows = pool.validationLabels.count
            guard rows > 0 else { return nil }
            return try pool.validationFeatures.withUnsafeBufferPointer { x throws(ModelError) -> Float? in
                try pool.validationLabels.withUnsafeBufferPointer { y throws(ModelError) -> Float? in
                    try pool.validationGroups.withUnsafeBufferPointer { t throws(ModelError) -> Float? in
                        guard let xb = x.baseAddress, let yb = y.baseAddress, let tb = t.baseAddress else { return nil }
                        return try trainer.loss(x: xb, labels: yb, rows: rows, routingTargets: tb).loss
                    }
                }
            }
        }
    }
}
