import GroveNumerics

extension MoETrainer {
    /// Trains for `epochs` passes over `x` `(n, D)` with labels `y`, in shuffled mini-batches of
    /// `batchSize` (the last, smaller batch included). The shuffle is seeded by `seed` and the
    /// epoch number, so the same call gives the same model.
    /// - Parameters:
    ///   - routingTargets: each sample's expert group for routing supervision, or nil.
    ///   - shouldStop: checked between steps; training ends early when it returns true.
    ///   - progress: told the share of steps done after every step.
    /// - Returns: the mean loss of each epoch.
    @discardableResult
    public func fit(x: Matrix, y: [Int32], routingTargets: [Int32]? = nil, epochs: Int, batchSize: Int, seed: UInt64, shouldStop: () -> Bool = { false }, progress: (Double) -> Void = { _ in }) throws(ModelError) -> [Float] {
        guard x.cols == engine.model.inputs else { throw .inputDimension(expected: engine.model.inputs, got: x.cols) }
        let n = x.rows
        guard n > 0, batchSize > 0 else { return [] }
        let d = x.cols
        var order = Array(0..<n)
        let batchX = FloatBuffer(capacity: batchSize * d)
        let batchY = IndexBuffer(capacity: batchSize)
        let batchT = IndexBuffer(capacity: batchSize)
        var losses: [Float] = []
        let baseRate = options.optimizer.learningRate
        let totalSteps = epochs * ((n + batchSize - 1) / batchSize)
        var stepIndex = 0
        defer { learningRate = baseRate }
        for epoch in 0..<epochs {
            var rng = SeededRNG.derived(seed: seed, stream: UInt64(epoch))
            order.shuffle(using: &rng)
            var total: Float = 0
            var steps = 0
            var start = 0
            while start < n {
                if shouldStop() { return losses }
                let rows = min(batchSize, n - start)
                x.storage.withUnsafeBufferPointer { xb in
                    guard let base = xb.baseAddress else { return }
                    for r in 0..<rows {
                        let src = order[start + r]
                        (batchX.pointer + r * d).update(from: base + src * d, count: d)
                        batchY.pointer[r] = y[src]
                        batchT.pointer[r] = routingTargets?[src] ?? -1
                    }
                }
                learningRate = baseRate * options.schedule.factor(step: stepIndex, total: totalSteps)
                stepIndex += 1
                let stats = try step(x: batchX.pointer, labels: batchY.pointer, rows: rows,
                                     routingTargets: routingTargets == nil ? nil : UnsafePointer(batchT.pointer))
                total += stats.loss
                steps += 1
                progress(Double(stepIndex) / Double(totalSteps))
                start += rows
            }
            losses.append(total / Float(max(steps, 1)))
        }
        return losses
    }
}

extension MoEPredictor {
    /// The share of rows of `x` whose most probable class equals `y`, evaluated in blocks of
    /// `blockSize` rows.
    public func accuracy(x: Matrix, y: [Int32], blockSize: Int = 1024) throws(ModelError) -> Double {
        guard x.cols == model.inputs else { throw .inputDimension(expected: model.inputs, got: x.cols) }
        guard x.rows > 0 else { return 0 }
        let c = model.classCount
        var correct = 0
        x.storage.withUnsafeBufferPointer { xb in
            guard let base = xb.baseAddress else { return }
            var start = 0
            while start < x.rows {
                let rows = min(blockSize, x.rows - start)
                predict(x: base + start * x.cols, rows: rows) { probs, _ in
                    for r in 0..<rows {
                        var best = 0
                        for j in 1..<max(c, 1) where probs[r * c + j] > probs[r * c + best] { best = j }
                        if Int32(best) == y[start + r] { correct += 1 }
                    }
                }
                start += rows
            }
        }
        return Double(correct) / Double(x.rows)
    }
}
