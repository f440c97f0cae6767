import GroveModel
import GroveNumerics
import GroveTestSupport
import Testing

private func blobsModel(seed: UInt64) throws -> (MixtureOfExperts, Matrix, [Int32]) {
    let data = SyntheticData.blobs(rows: 256, dimension: 12, classes: 4, separation: 2, seed: seed)
    let model = try MixtureOfExperts.uniform(inputs: 12, hidden: 16, classCount: 4, experts: 4,
                                             config: MoEConfig(topK: 2, noiseStd: 0.1), seed: seed)
    return (model, data.x, data.y)
}

@Test(arguments: [1, 7, 42] as [UInt64])
func frozenExpertKeepsItsChecksumAfterTraining(seed: UInt64) throws {
    var (model, x, y) = try blobsModel(seed: seed)
    try model.freeze(expert: 1)
    try model.freeze(expert: 2)
    let before = model.experts.map(\.checksum)
    let trainer = try MoETrainer(model: model, options: TrainingOptions(seed: seed))
    #expect(try trainer.expertGradients(id: 1) == nil, "a frozen expert has no gradient buffer")
    try trainer.fit(x: x, y: y, epochs: 3, batchSize: 32, seed: seed)
    let after = trainer.model.experts.map(\.checksum)
    #expect(after[1] == before[1], "seed \(seed)")
    #expect(after[2] == before[2], "seed \(seed)")
    #expect(after[0] != before[0], "seed \(seed): unfrozen experts do train")
    #expect(after[3] != before[3], "seed \(seed): unfrozen experts do train")
    #expect(trainer.model.gate != model.gate)
}

@Test func trainingLowersTheLossAndLearnsSeparableData() throws {
    let (model, x, y) = try blobsModel(seed: 3)
    let trainer = try MoETrainer(model: model, options: TrainingOptions(optimizer: AdamWConfig(learningRate: 3e-3), seed: 3))
    let losses = try trainer.fit(x: x, y: y, epochs: 10, batchSize: 32, seed: 3)
    #expect(losses.last! < losses.first! * 0.5)
    let accuracy = try MoEPredictor(model: trainer.model).accuracy(x: x, y: y)
    #expect(accuracy > 0.95)
}

@Test func sameSeedGivesBitIdenticalModels() throws {
    let (model, x, y) = try blobsModel(seed: 5)
    func train() throws -> [String] {
        let trainer = try MoETrainer(model: model, options: TrainingOptions(seed: 5))
        try trainer.fit(x: x, y: y, epochs: 2, batchSize: 64, seed: 5)
        return trainer.model.experts.map(\.checksum) + [Checksum.sha256(floats: trainer.model.gate.parameters)]
    }
    #expect(try train() == train())
}

@Test(arguments: [2, 9] as [UInt64])
func addingAnExpertLeavesOutputsOfInputsNotRoutedToItUnchanged(seed: UInt64) throws {
    var (model, x, y) = try blobsModel(seed: seed)
    let trainer = try MoETrainer(model: model, options: TrainingOptions(seed: seed))
    try trainer.fit(x: x, y: y, epochs: 2, batchSize: 32, seed: seed)
    model = trainer.model
    let before = try MoEPredictor(model: model)
    var rng = SeededRNG(seed: seed)
    var grown = model
    try grown.addExpert(Expert(id: grown.nextExpertID, inputs: 12, hidden: 16, classes: [0, 1, 2, 3], rng: &rng))
    #expect(grown.gate.experts == model.gate.experts + 1)
    let after = try MoEPredictor(model: grown)
    let newRow = Int32(grown.experts.count - 1)
    var unaffected = 0
    x.storage.withUnsafeBufferPointer { xb in
        for r in 0..<x.rows {
            let row = xb.baseAddress! + r * 12
            let (p0, _) = before.predict(x: row, rows: 1) { p, e in (Array(p), Array(e)) }
            let (p1, e1) = after.predict(x: row, rows: 1) { p, e in (Array(p), Array(e)) }
            if !e1.contains(newRow) {
                #expect(p0 == p1, "seed \(seed) row \(r)")
                unaffected += 1
            }
        }
    }
    #expect(unaffected > 0, "some inputs must avoid the newcomer for the check to mean anything")
}

@Test func capacityFactorCountsOverflowInsteadOfLosingItSilently() throws {
    var model = try MixtureOfExperts.uniform(inputs: 6, hidden: 5, classCount: 3, experts: 4,
                                             config: MoEConfig(topK: 2, capacityFactor: 0.5), seed: 1)
    // A gate that sends every input to experts 0 and 1 overloads them.
    let gs = model.gate.shape
    for i in 0..<gs.parameterCount { model.gate.parameters[i] = 0 }
    model.gate.parameters[gs.outputBias] = 5
    model.gate.parameters[gs.outputBias + 1] = 4
    let data = SyntheticData.gaussian(rows: 40, dimension: 6, classes: 3, seed: 4)
    let stats = try data.x.storage.withUnsafeBufferPointer { xb in
        try data.y.withUnsafeBufferPointer { yb in
            try MoETrainer(model: model).loss(x: xb.baseAddress!, labels: yb.baseAddress!, rows: 40)
        }
    }
    // Capacity ceil(0.5 * 40 * 2 / 4) = 10 per expert: 30 of 40 assignments overflow at each of the two experts.
    #expect(stats.overflow == 60)
    #expect(stats.unrouted == 30)
    #expect(stats.crossEntropy.isFinite)
}

@Test func labelOutsideTheLabelSpaceIsAnError() throws {
    let model = try MixtureOfExperts.uniform(inputs: 6, hidden: 5, classCount: 3, experts: 2, seed: 1)
    let x = [Float](repeating: 0, count: 6)
    let y: [Int32] = [7]
    #expect(throws: ModelError.labelOutOfRange(label: 7, classCount: 3)) {
        try MoETrainer(model: model).step(x: x, labels: y, rows: 1)
    }
}
