import GroveNumerics

/// A Mixture-of-Experts classifier over a label space that can grow.
///
/// `p(y|x) = Σ_{e ∈ topk(x)} w_e(x) · p_e(y|x)` where `w` is the softmax of the kept gate
/// logits and `p_e(y) = 0` for a class expert `e` never saw. Experts can be added at any time
/// (the gate grows one row) and frozen (never trained again). Every expert normalises its
/// inputs with its own statistics; the gate reads them through ``gateInput``.
public struct MixtureOfExperts: Sendable, Equatable {
    /// Input features (D).
    public let inputs: Int
    /// Size of the model-wide label space.
    public private(set) var classCount: Int
    /// The experts, in gate-row order.
    public private(set) var experts: [Expert]
    /// The router.
    public var gate: Gate
    /// Routing and auxiliary-loss settings.
    public var config: MoEConfig
    /// What the gate sees of an input; ``gate`` reads `gateInput.width(features: inputs)` values.
    public private(set) var gateInput: GateInput

    /// A model with the given experts and a fresh gate over `gateInput`.
    /// - Throws: `ModelError.invalidTopK` when `config.topK` does not fit the experts.
    public init(inputs: Int, classCount: Int, experts: [Expert], gateHidden: Int = 0, gateInput: GateInput = .identity, config: MoEConfig = MoEConfig(), rng: inout SeededRNG) throws(ModelError) {
        self.inputs = inputs
        self.classCount = classCount
        self.experts = experts
        self.config = config
        self.gateInput = gateInput
        self.gate = Gate(inputs: gateInput.width(features: inputs), hidden: gateHidden, experts: experts.count, rng: &rng)
        guard config.topK >= 1 else { throw .invalidTopK(k: config.topK, experts: experts.count) }
    }

    /// Experts actually kept per input: `min(config.topK, experts.count)`.
    public var effectiveTopK: Int { min(config.topK, experts.count) }

    /// A model of `count` fresh experts `inputs -> hidden -> classCount` (the reference layer),
    /// every expert and the gate reading the inputs through `normalization`.
    public static func uniform(inputs: Int, hidden: Int, classCount: Int, experts count: Int, gateHidden: Int = 0, normalization: InputNormalization = .identity, config: MoEConfig = MoEConfig(), seed: UInt64) throws(ModelError) -> MixtureOfExperts {
        let classes = (0..<classCount).map { Int32($0) }
        var experts: [Expert] = []
        for e in 0..<count {
            var rng = SeededRNG.derived(seed: seed, stream: UInt64(e + 1))
            experts.append(Expert(id: e, inputs: inputs, hidden: hidden, classes: classes, normalization: normalization, rng: &rng))
        }
        var rng = SeededRNG.derived(seed: seed, stream: 0)
        return try MixtureOfExperts(inputs: inputs, classCount: classCount, experts: experts, gateHidden: gateHidden,
                                    gateInput: .standardized(normalization), config: config, rng: &rng)
    }

    /// The next unused expert id.
    public var nextExpertID: Int { (experts.map(\.id).max() ?? -1) + 1 }

    /// Gate-row index of the expert with `id`.
    public func index(ofExpert id: Int) throws(ModelError) -> Int {
        guard let i = experts.firstIndex(where: { $0.id == id }) else { throw .unknownExpert(id: id) }
        return i
    }

    /// Adds an expert; the gate grows a zero row for it and the label space grows to cover its
    /// classes. Outputs for inputs whose top-k does not include the new expert do not change.
    public mutating func addExpert(_ expert: Expert) throws(ModelError) {
        guard expert.shape.inputs == inputs else { throw .inputDimension(expected: inputs, got: expert.shape.inputs) }
        experts.append(expert)
        gate.addExpert()
        if let top = expert.classes.max() { classCount = max(classCount, Int(top) + 1) }
    }

    /// Refits the gate's input statistics without changing its form or its weights.
    /// - Throws: `ModelError.corruptWeights` when `input` has another width than the gate reads.
    public mutating func refitGateInput(_ input: GateInput) throws(ModelError) {
        guard input.width(features: inputs) == gate.inputs else {
            throw .corruptWeights(what: "gate", reason: "\(gate.inputs) inputs, the new input form gives \(input.width(features: inputs))")
        }
        gateInput = input
    }

    /// Replaces the gate by a fresh one (same hidden width, one row per expert) over `input`.
    public mutating func replaceGate(input: GateInput, rng: inout SeededRNG) {
        gateInput = input
        gate = Gate(inputs: input.width(features: inputs), hidden: gate.hidden, experts: experts.count, rng: &rng)
    }

    /// Grows the label space to at least `count` classes.
    public mutating func growLabelSpace(to count: Int) {
        classCount = max(classCount, count)
    }

    /// Freezes the expert with `id`: from now on no trainer gives it a gradient.
    public mutating func freeze(expert id: Int) throws(ModelError) {
        experts[try index(ofExpert: id)].isFrozen = true
    }

    /// Replaces the parameters of an unfrozen expert (a trainer's result).
    mutating func setParameters(_ values: [Float], ofExpertAt index: Int) {
        precondition(!experts[index].isFrozen, "a frozen expert's weights never change")
        experts[index].parameters = values
    }
}
