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
    /// rescale must not be passed as `previous` to a later ``snapshot(labels:since:)``. The
    /// rescaled rows are new blobs, which the next snapshot hands to the store.
    /// - Throws: `LearningError.invalidScale` unless `factor` is positive and finite, or what
    ///   reading a domain's blobs throws.
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
            try rescaleRows(ofDomainAt: i, by: factor)
        }
        self.model = rescaled
    }
}

extension LifelongLearner {
    /// Replaces the domain's signature, held-out and replay rows by their values times `factor`.
    private mutating func rescaleRows(ofDomainAt i: Int, by factor: Float) throws {
        guard let d = model?.inputs else { return }
        let domain = domains[i]
        let signature = try signature(of: domain, dimension: d).rescaled(by: factor)
        domains[i].signature = blobs.put("signature", signature.bytes)
        domains[i].mean = domain.mean.map { $0 * factor }
        domains[i].meanBlob = blobs.put("signature", FloatCoding.data(domains[i].mean))
        let heldOut = try blobs.rows(domain.heldOut.chunks, dimension: d, what: "held-out rows of \(domain.name)")
        domains[i].heldOut = RowChunks()
        blobs.append(features: heldOut.features.map { $0 * factor }, labels: heldOut.labels, dimension: d,
                     to: &domains[i].heldOut, kind: "split")
        let kept = try reservoir(of: domain, dimension: d)
        keep(ReplayReservoir(capacity: kept.capacity, dimension: d, features: kept.features.map { $0 * factor },
                             labels: kept.labels, seen: kept.seen, rng: kept.generator), for: i)
    }
}

extension DomainSignature {
    /// The signature of the same samples multiplied by `factor`.
    func rescaled(by factor: Float) -> DomainSignature {
        DomainSignature(dimension: dimension, sampleCount: sampleCount, sourceCount: sourceCount, seed: seed,
                        sampleValues: sampleValues.map { $0 * factor }, mean: mean.map { $0 * factor })
    }
}
