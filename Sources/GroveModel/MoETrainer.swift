import GroveNumerics

/// What a `MoETrainer` may change and how.
public struct TrainingOptions: Sendable, Equatable {
    /// AdamW settings for every trained tensor.
    public var optimizer: AdamWConfig
    /// Whether the gate is trained.
    public var trainGate: Bool
    /// Ids of the experts to train; `nil` means every unfrozen expert. Frozen experts are
    /// never trained, whatever this says.
    public var trainExperts: Set<Int>?
    /// Ids of the experts routing may choose; `nil` means all.
    public var allowedExperts: Set<Int>?
    /// Weight γ of the routing-supervision loss (needs routing targets in each step).
    public var routingSupervision: Float
    /// Seed of the routing noise.
    public var seed: UInt64
    /// How `fit` changes the learning rate over its steps.
    public var schedule: LearningRateSchedule
    /// Whether the trainer runs experts. A gate-only trainer (`false`) takes only
    /// ``MoETrainer/gateStep(x:labels:rows:routingTargets:likelihoods:update:)`` and keeps no
    /// copy of the experts' weights.
    public var runsExperts = true

    /// Defaults: Adam lr 1e-3, train the gate and every unfrozen expert, no supervision.
    public init(optimizer: AdamWConfig = AdamWConfig(), trainGate: Bool = true, trainExperts: Set<Int>? = nil, allowedExperts: Set<Int>? = nil, routingSupervision: Float = 0, seed: UInt64 = 0, schedule: LearningRateSchedule = .constant) {
        self.optimizer = optimizer
        self.trainGate = trainGate
        self.trainExperts = trainExperts
        self.allowedExperts = allowedExperts
        self.routingSupervision = routingSupervision
        self.seed = seed
        self.schedule = schedule
    }
}

/// The learning rate over a run of `fit`.
public enum LearningRateSchedule: Sendable, Equatable {
    /// The optimizer's learning rate throughout.
    case constant
    /// Cosine decay from the optimizer's learning rate to zero over the run
    /// (Loshchilov & Hutter, "SGDR", 2017, without restarts).
    case cosine

    /// The factor applied to the base learning rate at `step` of `total`.
    public func factor(step: Int, total: Int) -> Float {
        switch self {
        case .constant: 1
        case .cosine: 0.5 * (1 + cosf(Float.pi * Float(step) / Float(max(total, 1))))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The losses of one training step (means over the batch).
public struct StepStats: Sendable, Equatable {
    /// Total loss: cross-entropy plus the weighted auxiliary losses.
    public var loss: Float
    /// Cross-entropy of the mixture `−log p(y|x)`.
    public var crossEntropy: Float
    /// Weighted load-balancing loss.
    public var balance: Float
    /// Weighted router z-loss.
    public var zLoss: Float
    /// Weighted routing-supervision loss.
    public var routing: Float
    /// Assignments dropped by the capacity limit.
    public var overflow: Int
    /// Inputs that reached no expert (all their choices overflowed).
    public var unrouted: Int
    /// Inputs with a routing target whose first choice is an expert of that target's group.
    public var routedToTarget = 0
    /// Inputs with a routing target.
    public var targeted = 0
}

/// Trains a `MixtureOfExperts` with AdamW: forward, backward through experts and gate, update.
///
/// The trainer copies the model's parameters into raw buffers; `model` gives the current state
/// as a new value. Frozen experts get no gradient buffer and no optimizer state, so their
/// weights are bit-identical afterwards. Experts run in parallel on the machine's cores, each
/// with single-threaded BLAS.
///
/// A step follows llm.c's order: forward → zero_grad (gradients are overwritten) → backward →
/// update.
public final class MoETrainer {
    let engine: MoEEngine
    /// The options this trainer was made with.
    public let options: TrainingOptions
    let allowed: [Bool]?
    let gateGradients: FloatBuffer?
    var gateOptimizer: AdamWState?
    let dGateLogits = FloatBuffer()
    let dGateHidden = FloatBuffer()
    let expertGroup: [Int32]
    var noise: SeededRNG?
    /// The learning rate of the next update; `fit` sets it from the schedule.
    public var learningRate: Float
    /// Per assignment: `q_t · p_e(y_t)` scaled by the weight, the coefficient of its logit gradient.
    let assignmentScale = FloatBuffer()
    /// Per assignment: `p_e(y_t)` of the chosen expert.
    let assignmentTrueProbability = FloatBuffer()

    /// A trainer over a copy of `model`.
    /// - Parameter expertGroups: group (domain) of each expert by id, for routing supervision.
    public init(model: MixtureOfExperts, options: TrainingOptions = TrainingOptions(), expertGroups: [Int: Int32] = [:]) throws(ModelError) {
        guard !model.experts.isEmpty else { throw .noExperts }
        BLAS.setThreads(1)
        // Only experts that can run or train need their weights in the engine; a gate-only
        // trainer trains none.
        let trains = model.experts.map { !$0.isFrozen && (options.trainExperts?.contains($0.id) ?? true) && options.runsExperts }
        let loaded: [Bool]? = options.runsExperts
            ? options.allowedExperts.map { ids in zip(model.experts, trains).map { ids.contains($0.id) || $1 } }
            : trains
        engine = MoEEngine(model: model, loaded: loaded)
        self.options = options
        allowed = options.allowedExperts.map { ids in model.experts.map { ids.contains($0.id) } }
        for (i, expert) in model.experts.enumerated() where trains[i] {
            let slot = engine.slots[i]
            slot.gradients = FloatBuffer(capacity: expert.shape.parameterCount)
            slot.optimizer = AdamWState(count: expert.shape.parameterCount)
        }
        if options.trainGate {
            gateGradients = FloatBuffer(capacity: model.gate.parameters.count)
            gateOptimizer = AdamWState(count: model.gate.parameters.count)
        } else {
            gateGradients = nil
        }
        expertGroup = model.experts.map { expertGroups[$0.id] ?? -1 }
        noise = model.config.noiseStd > 0 ? SeededRNG(seed: options.seed) : nil
        learningRate = options.optimizer.learningRate
    }

    /// The model with the trained parameters so far. Frozen and untrained experts are the very
    /// arrays the trainer started from.
    public var model: MixtureOfExperts {
        var m = engine.model
        for (i, slot) in engine.slots.enumerated() where slot.gradients != nil {
            m.setParameters(slot.parameterArray, ofExpertAt: i)
        }
        if gateGradients != nil {
            m.gate.parameters = engine.gateParameters.array(count: engine.gateShape.parameterCount)
        }
        return m
    }

    /// One training step on `rows` inputs: forward, backward and an AdamW update.
    /// - Parameters:
    ///   - x: `(rows, D)` features.
    ///   - labels: model-wide class indices.
    ///   - routingTargets: each input's expert group for routing supervision (−1: none).
    /// - Throws: `ModelError.labelOutOfRange` for a label outside the label space.
    @discardableResult
    public func step(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, routingTargets: UnsafePointer<Int32>? = nil) throws(ModelError) -> StepStats {
        try run(x: x, labels: labels, rows: rows, routingTargets: routingTargets, noisy: true, gradients: true, update: true)
    }

    /// The loss and gradients of one batch without updating anything (no routing noise);
    /// read them with `expertGradients(id:)` and `gateGradientValues`.
    public func lossAndGradients(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, routingTargets: UnsafePointer<Int32>? = nil) throws(ModelError) -> StepStats {
        try run(x: x, labels: labels, rows: rows, routingTargets: routingTargets, noisy: false, gradients: true, update: false)
    }

    /// The loss of one batch with the current parameters (no noise, no gradients).
    public func loss(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, routingTargets: UnsafePointer<Int32>? = nil) throws(ModelError) -> StepStats {
        try run(x: x, labels: labels, rows: rows, routingTargets: routingTargets, noisy: false, gradients: false, update: false)
    }

    /// The last computed gradient of a trained expert's parameters, nil if it does not train.
    public func expertGradients(id: Int) throws(ModelError) -> [Float]? {
        let slot = engine.slots[try engine.model.index(ofExpert: id)]
        return slot.gradients?.array(count: slot.shape.parameterCount)
    }

    /// The last computed gradient of the gate's parameters, nil if the gate does not train.
    public var gateGradientValues: [Float]? {
        gateGradients?.array(count: engine.gateShape.parameterCount)
    }

    /// Changes one parameter of an expert in place (finite-difference checks).
    public func perturbExpert(id: Int, parameter: Int, by delta: Float) throws(ModelError) {
        engine.slots[try engine.model.index(ofExpert: id)].parameters.pointer[parameter] += delta
    }

    /// Changes one gate parameter in place (finite-difference checks).
    public func perturbGate(parameter: Int, by delta: Float) {
        engine.gateParameters.pointer[parameter] += delta
    }
}
