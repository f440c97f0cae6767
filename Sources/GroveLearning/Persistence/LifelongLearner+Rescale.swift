import GroveModel
import GroveNumerics

extension LifelongLearner {
    /// Multiplies every stored feature of the named domains (held-out split, replay reservoir,
    /// signature) by `factor` and their experts' statistics likewise, so that the learner computes
    /// on inputs `factor · x` what it computed on `x`; the experts' weights, and so their
    /// checksums, do not change. When every domain is rescaled, a standardised gate's statistics
    /// are rescaled too; otherwise the gate is left as it is and the next phase retrains it.
    ///
    /// Stores written before readers gave values as written hold IDX pixels divided by 255; the
    /// service rescales those domains by 255 when it restores such a store, so that the same IDX
    /// files, now read as 0…255, meet the model as they did before.
    public mutating func rescale(domains names: Set<String>, by factor: Float) throws {
        guard !names.isEmpty, factor != 1, var model else { return }
        for i in domains.indices where names.contains(domains[i].name) {
            domains[i].rescale(by: factor)
        }
        let experts = try model.experts.map { e -> Expert in
            guard let domain = e.domain, names.contains(domain) else { return e }
            let n = e.normalization
            return try Expert(id: e.id, parent: e.parent, domain: e.domain, inputs: e.shape.inputs, hidden: e.shape.hidden,
                              classes: e.classes, parameters: e.parameters, isFrozen: e.isFrozen,
                              normalization: InputNormalization(mean: n.mean * factor, std: n.std * factor))
        }
        var gateInput = model.gateInput
        if case .standardized(let n) = gateInput, domains.allSatisfy({ names.contains($0.name) }) {
            gateInput = .standardized(InputNormalization(mean: n.mean * factor, std: n.std * factor))
        }
        model = try MixtureOfExperts(inputs: model.inputs, classCount: model.classCount, experts: experts, gate: model.gate,
                                     gateInput: gateInput, config: model.config)
        self.model = model
    }
}

extension DomainState {
    /// The domain with every stored feature multiplied by `factor`.
    mutating func rescale(by factor: Float) {
        testX.storage = testX.storage.map { $0 * factor }
        replay.rescale(by: factor)
        signature = signature.rescaled(by: factor)
    }
}

extension DomainSignature {
    /// The signature of the same samples multiplied by `factor`.
    func rescaled(by factor: Float) -> DomainSignature {
        DomainSignature(dimension: dimension, sampleCount: sampleCount, sourceCount: sourceCount, seed: seed,
                        sampleValues: sampleValues.map { $0 * factor }, mean: mean.map { $0 * factor })
    }
}
