import GroveNumerics

extension MoETrainer {
    /// One step of the gate alone, with the experts frozen and not run: the probability that
    /// each chosen expert gives an input's label comes from `likelihoods`, and everything else
    /// (routing noise, the balancing, z- and routing-supervision losses, AdamW) is as in
    /// ``step(x:labels:rows:routingTargets:)``. The gate's products use every core.
    ///
    /// A step costs the gate's forward and backward passes whatever the number of experts, which
    /// is what lets gate retraining keep a flat cost as experts accumulate.
    /// - Parameters:
    ///   - likelihoods: `(rows, experts)` values `p_e(y_t | x_t)`, experts in gate-row order;
    ///     0 where a value is not known, which counts the expert as giving the label nothing.
    ///   - update: apply the AdamW update (with routing noise); false measures the loss alone.
    @discardableResult
    public func gateStep(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, routingTargets: UnsafePointer<Int32>?,
                         likelihoods: UnsafePointer<Float>, update: Bool) throws(ModelError) -> StepStats {
        BLAS.setThreads(Parallel.workerCount)
        defer { BLAS.setThreads(1) }
        return try run(x: x, labels: labels, rows: rows, routingTargets: routingTargets, noisy: update, gradients: update,
                       update: update, likelihoods: likelihoods)
    }
}

extension MixtureOfExperts {
    /// `p_e(y_t | x_t)` of the expert at gate row `index` for each of `rows` raw inputs `x`
    /// `(rows, D)` and labels `y` (0 for a label the expert has no output for), computed in
    /// blocks on every core.
    /// - Throws: `ModelError.labelOutOfRange` for a label outside the label space.
    public func likelihoods(ofExpertAt index: Int, x: UnsafePointer<Float>, labels y: UnsafePointer<Int32>, rows: Int) throws(ModelError) -> [Float] {
        for t in 0..<rows where y[t] < 0 || Int(y[t]) >= classCount {
            throw .labelOutOfRange(label: y[t], classCount: classCount)
        }
        let slot = ExpertSlot(expert: experts[index], classCount: classCount)
        let block = 1024
        var out = [Float](repeating: 0, count: rows)
        let previousThreads = BLAS.threads
        BLAS.setThreads(Parallel.workerCount)
        defer { BLAS.setThreads(previousThreads) }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: block) { tokens in
            var start = 0
            while start < rows {
                let count = min(block, rows - start)
                for r in 0..<count { tokens[r] = Int32(r) }
                slot.forward(x: x + start * inputs, tokens: UnsafeBufferPointer(rebasing: tokens[0..<count]))
                let c = slot.shape.outputs
                for r in 0..<count {
                    let local = slot.localClass[Int(y[start + r])]
                    out[start + r] = local >= 0 ? slot.probabilities.pointer[r * c + Int(local)] : 0
                }
                start += count
            }
        }
        return out
    }
}
