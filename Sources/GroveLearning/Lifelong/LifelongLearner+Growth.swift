import GroveModel
import GroveNumerics

extension LifelongLearner {
    /// Adds the domain if it is new (with its signature, no held-out rows and an empty
    /// reservoir) and returns its index; a known domain gains the new classes.
    mutating func registerDomain(named name: String, classes: Set<Int32>, trainX: Matrix, seed: UInt64, phase: Int) -> Int {
        if let i = domains.firstIndex(where: { $0.name == name }) {
            domains[i].classes.formUnion(classes)
            return i
        }
        let signature = DomainSignature(features: trainX, maxSamples: config.detectorSamples, seed: seed)
        let empty = ReplayReservoir(capacity: config.replayPerDomain, dimension: trainX.cols, seed: seed ^ 0x5EED)
        let state = DomainState(
            name: name, group: Int32(domains.count), signature: blobs.put("signature", signature.bytes), mean: signature.mean,
            meanBlob: blobs.put("signature", FloatCoding.data(signature.mean)),
            experts: [], classes: classes, heldOut: RowChunks(),
            replay: ReplayState(capacity: empty.capacity, seen: 0, generator: empty.generator, rows: RowChunks()),
            firstPhase: phase, evaluationSamples: config.evaluationSamples(forDomainNumber: domains.count + 1))
        domains.append(state)
        return domains.count - 1
    }

    /// Grows `config.expertsPerDomain` experts for the domain, trains only them on `x`, `y`
    /// and freezes them. Returns their ids.
    ///
    /// Each new expert normalises its inputs with the statistics of `x`, so it learns a domain on
    /// any scale as if the domain had come first. It is initialised from a lineage parent: the
    /// domain's own newest expert when the domain is known (a child expert), else the newest
    /// expert of the nearest known domain when that expert is related to the new data
    /// (``isRelated(_:x:y:normalization:seed:)``), else nothing (random initialisation).
    mutating func growAndTrain(domainIndex: Int, nearest: String?, x: Matrix, y: [Int32], seed: UInt64, monitor: PhaseMonitor) throws -> [Int] {
        let domain = domains[domainIndex]
        let classes = domain.classes.sorted()
        var model = try self.model ?? firstModel(inputs: x.cols, gateStatisticsFrom: x)
        let normalization = InputNormalization(fittedTo: x)
        var parent = domain.experts.last.flatMap { id in model.experts.first { $0.id == id } }
        if parent == nil, config.initializeFromParent,
           let nearestID = nearest.flatMap({ n in domains.first { $0.name == n }?.experts.last }),
           let candidate = model.experts.first(where: { $0.id == nearestID }),
           try isRelated(candidate, x: x, y: y, normalization: normalization, seed: seed) {
            parent = candidate
        }
        var grown: [Int] = []
        for n in 0..<config.expertsPerDomain {
            var rng = SeededRNG.derived(seed: seed, stream: UInt64(100 + n))
            let id = max(model.nextExpertID, retired?.expertFloor ?? 0)
            let expert = parent.map {
                Expert(id: id, initializedFrom: $0, classes: classes, domain: domain.name, normalization: normalization, rng: &rng)
            } ?? Expert(id: id, inputs: x.cols, hidden: config.expertHidden, classes: classes, domain: domain.name,
                        normalization: normalization, rng: &rng)
            try model.addExpert(expert)
            grown.append(id)
        }
        let options = TrainingOptions(
            optimizer: AdamWConfig(learningRate: config.expertLearningRate),
            trainGate: grown.count > 1, trainExperts: Set(grown), allowedExperts: Set(grown),
            seed: seed, schedule: .cosine)
        let trainer = try MoETrainer(model: model, options: options)
        let epochs = LifelongConfig.epochs(config.expertEpochs, samples: x.rows, batchSize: config.expertBatchSize,
                                           minimumSteps: config.expertMinimumSteps)
        try trainer.fit(x: x, y: y, epochs: epochs, batchSize: config.expertBatchSize, seed: seed,
                        shouldStop: monitor.shouldStop, progress: monitor.progress)
        if monitor.shouldStop() { throw CancellationError() }
        model = trainer.model
        for id in grown { try model.freeze(expert: id) }
        domains[domainIndex].experts.append(contentsOf: grown)
        self.model = model
        return grown
    }

    /// An empty model with a row-standardised gate whose scale statistics come from the first
    /// dataset (they are refitted to the replay mix whenever the gate is retrained).
    private func firstModel(inputs: Int, gateStatisticsFrom x: Matrix) throws -> MixtureOfExperts {
        var rng = SeededRNG.derived(seed: config.seed, stream: 0)
        return try MixtureOfExperts(inputs: inputs, classCount: 0, experts: [], gateHidden: config.gateHidden,
                                    gateInput: .rowStandardized(RowScaleStatistics(fittedTo: x)), config: config.moe, rng: &rng)
    }
}
