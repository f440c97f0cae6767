import GroveModel
import GroveNumerics

extension LifelongLearner {
    /// Retrains the gate, experts frozen, from where the last phase left it, for a fixed budget
    /// of ``LifelongConfig/gateSteps`` steps over a domain-balanced pool of replay rows
    /// (``drawGatePool(phaseDomain:seed:dimension:)``): every row of a batch comes from the
    /// phase's own domain with probability ``LifelongConfig/gatePhaseDomainShare``, else from a
    /// domain drawn uniformly. The loss is cross-entropy through the mixture, the balancing and
    /// z-losses, and routing supervision towards each row's own domain. Every
    /// ``LifelongConfig/gateValidationInterval`` steps the loss on the pool's validation split
    /// is measured; training stops after ``LifelongConfig/gatePatience`` measurements without
    /// improvement and keeps the best gate. A model of one expert has nothing to route.
    ///
    /// The gate's scale statistics are refitted to the pool first. A gate of the older
    /// standardised form (from a store written before row-standardised gates) is replaced by a
    /// fresh row-standardised one, which this retraining then trains from scratch.
    mutating func retrainGate(phaseDomain: Int, seed: UInt64, monitor: PhaseMonitor) throws {
        guard var model, model.experts.count > 1 else { return }
        let pool = try drawGatePool(phaseDomain: phaseDomain, seed: seed, dimension: model.inputs)
        guard pool.count > 0 else { return }
        let gateInput = GateInput.rowStandardized(RowScaleStatistics(fittedTo: pool.matrix))
        if case .rowStandardized = model.gateInput {
            try model.refitGateInput(gateInput)
        } else {
            var rng = SeededRNG.derived(seed: seed, stream: 0x6A7E)
            model.replaceGate(input: gateInput, rng: &rng)
        }
        var groups: [Int: Int32] = [:]
        for domain in domains { for id in domain.experts { groups[id] = domain.group } }
        let options = TrainingOptions(
            optimizer: AdamWConfig(learningRate: config.gateLearningRate),
            trainGate: true, trainExperts: [], routingSupervision: config.routingSupervision,
            seed: seed ^ 0x6A7E, schedule: .cosine)
        let trainer = try MoETrainer(model: model, options: options, expertGroups: groups)
        self.model = try GateSchedule(config: config, phaseDomain: phaseDomain, seed: seed ^ 0x6A7E)
            .run(trainer, on: pool, monitor: monitor)
    }
}
