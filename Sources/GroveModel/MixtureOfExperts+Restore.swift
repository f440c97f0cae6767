import GroveNumerics

extension Expert {
    /// An expert rebuilt from stored parts.
    /// - Throws: `ModelError.corruptWeights` when `parameters` does not fit the shape.
    public init(id: Int, parent: Int?, domain: String?, inputs: Int, hidden: Int, classes: [Int32], parameters: [Float], isFrozen: Bool, normalization: InputNormalization) throws(ModelError) {
        let shape = ExpertShape(inputs: inputs, hidden: hidden, outputs: classes.count)
        guard parameters.count == shape.parameterCount else {
            throw .corruptWeights(what: "expert \(id)", reason: "\(parameters.count) parameters, shape needs \(shape.parameterCount)")
        }
        self.init(restoring: id, parent: parent, domain: domain, shape: shape, classes: classes, parameters: parameters, isFrozen: isFrozen,
                  normalization: normalization)
    }
}

extension Gate {
    /// A gate rebuilt from stored parameters.
    /// - Throws: `ModelError.corruptWeights` when `parameters` does not fit the shape.
    public init(inputs: Int, hidden: Int, experts: Int, parameters: [Float]) throws(ModelError) {
        var rng = SeededRNG(seed: 0)
        self.init(inputs: inputs, hidden: hidden, experts: experts, rng: &rng)
        guard parameters.count == self.parameters.count else {
            throw .corruptWeights(what: "gate", reason: "\(parameters.count) parameters, shape needs \(self.parameters.count)")
        }
        self.parameters = parameters
    }
}

extension MixtureOfExperts {
    /// A model rebuilt from stored parts.
    /// - Throws: `ModelError` when the gate's rows or width or an expert's inputs do not fit.
    public init(inputs: Int, classCount: Int, experts: [Expert], gate: Gate, gateInput: GateInput, config: MoEConfig) throws(ModelError) {
        guard gate.experts == experts.count else {
            throw .corruptWeights(what: "gate", reason: "\(gate.experts) rows for \(experts.count) experts")
        }
        guard gate.inputs == gateInput.width(features: inputs) else {
            throw .corruptWeights(what: "gate", reason: "\(gate.inputs) inputs, its input form needs \(gateInput.width(features: inputs))")
        }
        for e in experts where e.shape.inputs != inputs { throw .inputDimension(expected: inputs, got: e.shape.inputs) }
        var rng = SeededRNG(seed: 0)
        try self.init(inputs: inputs, classCount: classCount, experts: experts, gateHidden: gate.hidden, gateInput: gateInput,
                      config: config, rng: &rng)
        self.gate = gate
    }
}
