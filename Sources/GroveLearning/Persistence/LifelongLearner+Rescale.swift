import GroveModel
import GroveNumerics

extension LifelongLearner {
    /// Multiplies every stored feature of the named domains (held-out split, replay reservoir,
    /// signature) by `factor` and their experts' statistics likewise, so that the learner computes
    /// on inputs `factor · x` what it computed on `x`; the experts' weights, and so their
    /// checksums, do not change. A row-standardised gate moves its scale statistics by
    /// `log factor`, which is exact when every domain is rescaled; a standardised gate is
    /// rescaled only when every domain is, and otherwise left for the next phase to retrain.
    ///
    /// Stores written before readers gave values as written hold IDX pixels divided by 255; the
    /// service rescales those domains by 255 when it restores such a store, so that the same IDX
    /// files, now read as 0…255, meet the model as they did before. A snapshot taken before a
    /// rescale must not be passed as `previous` to a later ``snapshot(labels:since:fresh:)``: its
    /// blobs hold the unscaled samples.
    /// - Throws: `LearningError.invalidScale` unless `factor` is positive and finite.
    public mutating func rescale(domains names: Set<String>, by factor: Float) throws {
        guard factor.isFinite, factor > 0 else { throw LearningError.invalidScale(factor) }
        guard !names.isEmpty, factor != 1, let model else { return }
        let everyDomain = domains.allSatisfy { names.contains($0.name) }
        let experts = try model.experts.map { e -> Expert in
            guard let domain = e.domain, names.contains(domain) else { return e }
            let n = e.normalization
            return try Expert(id: e.id, parent: e.parent, domain: e.domain, inputs: e.shape.inputs, hidden: e.shape.hidden,
                              classes: e.classes, parameters: e.parameters, isFrozen: e.isFrozen,
                              normalization: InputNormalization(mean: n.mean * factor, std: n.std * factor))
        }
        var gateInput = model.gateInput
        switch gateInput {
        case .standardized(let n) where everyDomain:
            gateInput = .standardized(InputNormalization(mean: n.mean * factor, std: n.std * factor))
        case .rowStandardized(let statistics) where everyDomain:
            gateInput = .rowStandardized(statistics.rescaled(by: factor))
        default:
            break
        }
        let rescaled = try MixtureOfExperts(inputs: model.inputs, classCount: model.classCount, experts: experts,
                                            gate: model.gate, gateInput: gateInput, config: model.config)
        for i in domains.indices where names.contains(domains[i].name) {
            domains[i].rescale(by: factor)
        }
        self.model = rescaled
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
