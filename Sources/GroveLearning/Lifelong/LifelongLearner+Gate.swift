import GroveModel
import GroveNumerics

extension LifelongLearner {
    /// Retrains the gate, experts frozen, from where the last phase left it, for a fixed budget
    /// of ``LifelongConfig/gateSteps`` steps over a domain-balanced pool of replay rows
    /// (``drawGatePool(phaseDomain:seed:model:)``): every row of a batch comes from a domain drawn
    /// uniformly, the phase's own domain having at least
    /// ``LifelongConfig/gatePhaseDomainMinimumShare`` of the rows. The loss is cross-entropy through the mixture, the balancing and
    /// z-losses, and routing supervision towards each row's own domain. The mixture's
    /// cross-entropy counts only the row's own domain's experts, whose probabilities of the
    /// row's label the pool computed once: an expert of another domain counts as giving the
    /// label nothing, so no step runs an expert and a step costs the same however many experts
    /// there are. Every
    /// ``LifelongConfig/gateValidationInterval`` steps the loss and routing on the pool's
    /// validation split are measured: training keeps the gate of the lowest loss, and stops early
    /// once ``LifelongConfig/gatePatience`` measurements in a row did not lower it. A model of one
    /// expert has nothing to route.
    ///
    /// The gate's scale statistics are refitted to the pool first. A gate of the older
    /// standardised form (from a store written before row-standardised gates) is replaced by a
    /// fresh row-standardised one, which this retraining then trains from scratch.
    /// - Returns: the steps run.
    mutating func retrainGate(phaseDomain: Int, seed: UInt64, monitor: PhaseMonitor) throws -> Int {
        guard var model, model.experts.count > 1 else { return 0 }
        let pool = try drawGatePool(phaseDomain: phaseDomain, seed: seed, model: model)
        guard pool.count > 0 else { return 0 }
        let gateInput = GateInput.rowStandardized(RowScaleStatistics(fittedTo: pool.matrix))
        if case .rowStandardized = model.gateInput {
            try model.refitGateInput(gateInput)
        } else {
            var rng = SeededRNG.derived(seed: seed, stream: 0x6A7E)
            model.replaceGate(input: gateInput, rng: &rng)
        }
        var groups: [Int: Int32] = [:]
        for domain in domains { for id in domain.experts { groups[id] = domain.group } }
        var options = TrainingOptions(
            optimizer: AdamWConfig(learningRate: config.gateLearningRate),
            trainGate: true, trainExperts: [], routingSupervision: config.routingSupervision,
            seed: seed ^ 0x6A7E, schedule: .cosine)
        options.runsExperts = false
        let trainer = try MoETrainer(model: model, options: options, expertGroups: groups)
        let trained = try GateSchedule(config: config, seed: seed ^ 0x6A7E)
            .run(trainer, on: pool, monitor: monitor)
        self.model = trained.model
        return trained.steps
    }
}
