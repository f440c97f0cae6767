import GroveNumerics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MoETrainer {
    /// Smallest probability the cross-entropy takes the log of.
    static let probabilityFloor: Float = 1e-30

    /// The step behind every public entry point.
    /// - Parameter likelihoods: `(rows, experts)` values `p_e(y_t | x_t)` of frozen experts, given
    ///   instead of running the experts (``gateStep(x:labels:rows:routingTargets:likelihoods:update:)``).
    func run(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, routingTargets: UnsafePointer<Int32>?, noisy: Bool, gradients: Bool, update: Bool,
             likelihoods: UnsafePointer<Float>? = nil) throws(ModelError) -> StepStats {
        let model = engine.model
        for t in 0..<rows where labels[t] < 0 || Int(labels[t]) >= model.classCount {
            throw .labelOutOfRange(label: labels[t], classCount: model.classCount)
        }
        guard options.runsExperts || likelihoods != nil else { throw .gateOnlyTrainer }
        var rng = noisy ? noise : nil
        if likelihoods == nil {
            engine.forward(x: x, rows: rows, noise: &rng, allowed: allowed, capacityFactor: model.config.capacityFactor)
        } else {
            engine.route(x: x, rows: rows, noise: &rng, allowed: allowed, capacityFactor: model.config.capacityFactor)
        }
        if noisy { noise = rng }
        let routing = engine.routing
        let k = routing.k
        let e = engine.gateShape.experts

        // Mixture probability of each input's true class.
        let pTrue = assignmentScale.reserve(rows * k)
        let pey = assignmentTrueProbability.reserve(rows * k)
        pey.update(repeating: 0, count: rows * k)
        if let likelihoods {
            for a in 0..<(rows * k) {
                let chosen = Int(routing.expert.pointer[a])
                if chosen >= 0 { pey[a] = likelihoods[(a / k) * e + chosen] }
            }
        } else {
            for (index, slot) in engine.slots.enumerated() where routing.segmentRows(index) > 0 {
                let start = routing.segmentStart[index]
                for r in 0..<slot.rows {
                    let a = Int(routing.segmentAssignment.pointer[start + r])
                    let local = slot.localClass[Int(labels[a / k])]
                    pey[a] = local >= 0 ? slot.probabilities.pointer[r * slot.shape.outputs + Int(local)] : 0
                }
            }
        }
        var crossEntropy: Float = 0
        var valid = 0
        for t in 0..<rows {
            var p: Float = 0
            var routed = false
            for j in 0..<k where routing.expert.pointer[t * k + j] >= 0 {
                p += routing.weight.pointer[t * k + j] * pey[t * k + j]
                routed = true
            }
            // Reuse pTrue's first slot of each input for p(y|x_t); scales are written below.
            pTrue[t * k] = routed ? max(p, Self.probabilityFloor) : 0
            if routed {
                crossEntropy -= logf(pTrue[t * k])
                valid += 1
            }
        }
        let invValid: Float = valid > 0 ? 1 / Float(valid) : 0
        crossEntropy *= invValid

        let dLogits: UnsafeMutablePointer<Float>? = gradients && gateGradients != nil ? dGateLogits.reserve(rows * e) : nil
        dLogits?.update(repeating: 0, count: rows * e)
        let alpha = model.config.balanceCoefficient
        let balance = GateLosses.balance(probabilities: routing.probabilities.pointer, rows: rows, experts: e,
                                         choiceFraction: routing.choiceFraction.pointer, coefficient: alpha, dLogits: dLogits)
        let z = GateLosses.zLoss(probabilities: routing.probabilities.pointer, logSumExp: routing.logSumExp.pointer,
                                 rows: rows, experts: e, coefficient: model.config.zLossCoefficient, dLogits: dLogits)
        var supervision: Float = 0
        if let targets = routingTargets, options.routingSupervision != 0 {
            supervision = expertGroup.withUnsafeBufferPointer { groups in
                GateLosses.routingSupervision(probabilities: routing.probabilities.pointer, rows: rows, experts: e,
                                              targets: targets, expertGroup: groups.baseAddress!, coefficient: options.routingSupervision,
                                              dLogits: dLogits)
            }
        }
        var stats = StepStats(loss: crossEntropy + balance + z + supervision, crossEntropy: crossEntropy,
                              balance: balance, zLoss: z, routing: supervision,
                              overflow: routing.overflow, unrouted: routing.unrouted)
        if let targets = routingTargets {
            for t in 0..<rows where targets[t] >= 0 {
                stats.targeted += 1
                let first = Int(routing.expert.pointer[t * k])
                if first >= 0, expertGroup[first] == targets[t] { stats.routedToTarget += 1 }
            }
        }
        guard gradients else { return stats }

        // dL/dw for each assignment, then each assignment's logit-gradient scale.
        for t in 0..<rows {
            let p = pTrue[t * k]
            let q: Float = p > 0 ? invValid / p : 0
            if let d = dLogits {
                withUnsafeTemporaryAllocation(of: Float.self, capacity: k) { gw in
                    for j in 0..<k { gw[j] = -q * pey[t * k + j] }
                    GateLosses.topKWeightsBackward(weights: routing.weight.pointer + t * k, dWeights: UnsafePointer(gw.baseAddress!),
                                                   chosen: routing.expert.pointer + t * k, k: k, dLogitsRow: d + t * e)
                }
            }
            for j in 0..<k { pTrue[t * k + j] = routing.weight.pointer[t * k + j] * q * pey[t * k + j] }
        }

        let scale = UnsafePointer(pTrue)
        var config = options.optimizer
        config.learningRate = learningRate
        if likelihoods == nil {
            backwardExperts(labels: labels, scale: scale, config: config, update: update)
        }
        if !update {
            // Experts without rows in this batch have zero gradient.
            for (index, slot) in engine.slots.enumerated() where routing.segmentRows(index) == 0 {
                slot.gradients?.pointer.update(repeating: 0, count: slot.shape.parameterCount)
            }
        }

        if let d = dLogits, let grads = gateGradients {
            let gs = engine.gateShape
            Gate.backward(parameters: engine.gateParameters.pointer, gate: gs, x: engine.gateInput ?? x, rows: rows,
                          hidden: gs.hidden > 0 ? UnsafePointer(engine.gateHidden.pointer) : nil,
                          dLogits: d, dHiddenScratch: gs.hidden > 0 ? dGateHidden.reserve(rows * gs.hidden) : nil,
                          gradients: grads.pointer)
            if update {
                gateOptimizer?.update(parameters: engine.gateParameters.pointer, gradients: grads.pointer, config: config)
            }
        }
        return stats
    }

    /// Backward pass and update of the trainable experts, given each assignment's scale of its
    /// logit gradient.
    private func backwardExperts(labels: UnsafePointer<Int32>, scale: UnsafePointer<Float>, config: AdamWConfig, update: Bool) {
        let routing = engine.routing
        let k = routing.k
        engine.runExperts(onlyTrainable: true) { slot, index in
            guard let grads = slot.gradients else { return }
            let c = slot.shape.outputs
            let start = routing.segmentStart[index]
            let dz = slot.dLogits.reserve(slot.rows * c)
            for r in 0..<slot.rows {
                let a = Int(routing.segmentAssignment.pointer[start + r])
                let local = Int(slot.localClass[Int(labels[a / k])])
                let s = scale[a]
                let pr = slot.probabilities.pointer + r * c
                let dr = dz + r * c
                for o in 0..<c { dr[o] = s * pr[o] }
                if local >= 0 { dr[local] -= s }
            }
            Expert.backward(parameters: slot.parameters.pointer, shape: slot.shape, x: slot.inputs.pointer, rows: slot.rows,
                            hidden: slot.hidden.pointer, dLogits: dz, dHidden: slot.dHidden.reserve(slot.rows * slot.shape.hidden),
                            gradients: grads.pointer)
            if update {
                slot.optimizer?.update(parameters: slot.parameters.pointer, gradients: grads.pointer, config: config)
            }
        }
    }
}
