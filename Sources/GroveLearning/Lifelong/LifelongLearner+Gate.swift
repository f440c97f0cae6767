import GroveModel
import GroveNumerics

extension LifelongLearner {
    /// Retrains the gate, experts frozen, on an equal share of every domain's replay reservoir,
    /// with cross-entropy through the mixture, the balancing and z-losses, and routing
    /// supervision towards each sample's own domain. A model of one expert has nothing to route.
    ///
    /// The gate's scale statistics are refitted to the replay mix first. A gate of the older
    /// standardised form (from a store written before row-standardised gates) is replaced by a
    /// fresh row-standardised one, which this retraining then trains from scratch.
    mutating func retrainGate(seed: UInt64, monitor: PhaseMonitor) throws {
        guard var model, model.experts.count > 1 else { return }
        var x = Matrix(rows: 0, cols: model.inputs)
        var y: [Int32] = []
        var targets: [Int32] = []
        for domain in domains {
            let r = domain.replay
            x.storage.append(contentsOf: r.features)
            y.append(contentsOf: r.labels)
            targets.append(contentsOf: [Int32](repeating: domain.group, count: r.count))
        }
        x = Matrix(rows: y.count, cols: model.inputs, storage: x.storage)
        let gateInput = GateInput.rowStandardized(RowScaleStatistics(fittedTo: x))
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
        let epochs = LifelongConfig.epochs(config.gateEpochs, samples: x.rows, batchSize: config.gateBatchSize,
                                           minimumSteps: config.gateMinimumSteps)
        try trainer.fit(x: x, y: y, routingTargets: targets, epochs: epochs, batchSize: config.gateBatchSize, seed: seed ^ 0x6A7E,
                        shouldStop: monitor.shouldStop, progress: monitor.progress)
        if monitor.shouldStop() { throw CancellationError() }
        self.model = trainer.model
    }
}
