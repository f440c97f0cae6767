import GroveModel
import GroveNumerics
import GroveTestSupport
import Testing

/// A small MoE with margins wide enough that a finite-difference step never changes routing.
private func smallModel(experts: Int, k: Int, gateHidden: Int = 0, alpha: Float, beta: Float, seed: UInt64) throws -> MixtureOfExperts {
    try MixtureOfExperts.uniform(inputs: 6, hidden: 5, classCount: 4, experts: experts, gateHidden: gateHidden,
                                 config: MoEConfig(topK: k, noiseStd: 0, balanceCoefficient: alpha, zLossCoefficient: beta),
                                 seed: seed)
}

/// Checks every expert and gate gradient of `trainer` against central differences of its loss.
private func checkAllGradients(_ trainer: MoETrainer, model: MixtureOfExperts, x: Matrix, y: [Int32], targets: [Int32]? = nil, seed: UInt64) throws {
    func loss() throws -> Float {
        try x.storage.withUnsafeBufferPointer { xb in
            try y.withUnsafeBufferPointer { yb in
                try targets.withUnsafeOptionalPointer { tb in
                    try trainer.loss(x: xb.baseAddress!, labels: yb.baseAddress!, rows: x.rows, routingTargets: tb).loss
                }
            }
        }
    }
    _ = try x.storage.withUnsafeBufferPointer { xb in
        try y.withUnsafeBufferPointer { yb in
            try targets.withUnsafeOptionalPointer { tb in
                try trainer.lossAndGradients(x: xb.baseAddress!, labels: yb.baseAddress!, rows: x.rows, routingTargets: tb)
            }
        }
    }
    var checked = 0
    for expert in model.experts {
        guard let grads = try trainer.expertGradients(id: expert.id) else { continue }
        for i in 0..<grads.count {
            let n = try GradientCheck.numericDerivative(step: 2e-3, perturb: { try trainer.perturbExpert(id: expert.id, parameter: i, by: $0) }, loss: loss)
            #expect(GradientCheck.agrees(grads[i], n), "seed \(seed) expert \(expert.id) parameter \(i): analytic \(grads[i]) numeric \(n)")
            checked += 1
        }
    }
    if let gate = trainer.gateGradientValues {
        for i in 0..<gate.count {
            let n = try GradientCheck.numericDerivative(step: 2e-3, perturb: { trainer.perturbGate(parameter: i, by: $0) }, loss: loss)
            #expect(GradientCheck.agrees(gate[i], n), "seed \(seed) gate parameter \(i): analytic \(gate[i]) numeric \(n)")
            checked += 1
        }
    }
    #expect(checked > 0)
}

/// Finite differences are meaningless across a ReLU kink: data whose hidden pre-activations all
/// stay farther from zero than any probe step can move them (each expert reads the inputs
/// through its own normalisation).
private func kinkFreeData(model: MixtureOfExperts, rows: Int, seed: UInt64, step: Float) -> (x: Matrix, y: [Int32], seed: UInt64) {
    var s = seed
    while true {
        let data = SyntheticData.gaussian(rows: rows, dimension: model.inputs, classes: model.classCount, seed: s)
        var clear = true
        for expert in model.experts {
            let sh = expert.shape
            let n = expert.normalization
            let reach = step * (1 + (data.x.storage.map { abs(($0 - n.mean) / n.std) }.max() ?? 0))
            for r in 0..<rows {
                for h in 0..<sh.hidden {
                    var pre = expert.parameters[sh.b1 + h]
                    for d in 0..<sh.inputs { pre += (data.x[r, d] - n.mean) / n.std * expert.parameters[sh.w1 + h * sh.inputs + d] }
                    if abs(pre) < 3 * reach { clear = false }
                }
            }
        }
        if clear { return (data.x, data.y, s) }
        s += 1000
    }
}

extension Optional where Wrapped == [Int32] {
    func withUnsafeOptionalPointer<R>(_ body: (UnsafePointer<Int32>?) throws -> R) rethrows -> R {
        switch self {
        case .none: try body(nil)
        case .some(let a): try a.withUnsafeBufferPointer { try body($0.baseAddress) }
        }
    }
}

@Test(arguments: [1, 7, 42] as [UInt64])
func singleExpertGradientsMatchFiniteDifferences(seed: UInt64) throws {
    let model = try smallModel(experts: 1, k: 1, alpha: 0, beta: 0, seed: seed)
    let data = kinkFreeData(model: model, rows: 5, seed: seed, step: 2e-3)
    try checkAllGradients(try MoETrainer(model: model), model: model, x: data.x, y: data.y, seed: seed)
}

@Test(arguments: [1, 7, 42] as [UInt64])
func topTwoMixtureWithBalanceAndZLossGradientsMatchFiniteDifferences(seed: UInt64) throws {
    let model = try smallModel(experts: 4, k: 2, alpha: 0.5, beta: 0.1, seed: seed)
    let data = kinkFreeData(model: model, rows: 6, seed: seed + 100, step: 2e-3)
    try checkAllGradients(try MoETrainer(model: model), model: model, x: data.x, y: data.y, seed: data.seed)
}

@Test(arguments: [3, 11] as [UInt64])
func hiddenGateAndRoutingSupervisionGradientsMatchFiniteDifferences(seed: UInt64) throws {
    let model = try smallModel(experts: 3, k: 2, gateHidden: 4, alpha: 0.2, beta: 0.05, seed: seed)
    let data = kinkFreeData(model: model, rows: 6, seed: seed + 200, step: 2e-3)
    let groups: [Int: Int32] = [0: 0, 1: 0, 2: 1]
    let trainer = try MoETrainer(model: model, options: TrainingOptions(routingSupervision: 0.7), expertGroups: groups)
    try checkAllGradients(trainer, model: model, x: data.x, y: data.y, targets: [0, 1, 1, 0, 1, 0], seed: seed)
}

@Test func expertsWithPartialLabelSpacesGetExactGradients() throws {
    var rng = SeededRNG(seed: 5)
    let experts = [
        Expert(id: 0, inputs: 6, hidden: 5, classes: [0, 1], rng: &rng),
        Expert(id: 1, inputs: 6, hidden: 5, classes: [2, 3], rng: &rng),
        Expert(id: 2, inputs: 6, hidden: 5, classes: [1, 2, 3], rng: &rng),
    ]
    let model = try MixtureOfExperts(inputs: 6, classCount: 4, experts: experts,
                                     config: MoEConfig(topK: 3, balanceCoefficient: 0.1, zLossCoefficient: 0.01), rng: &rng)
    let data = kinkFreeData(model: model, rows: 8, seed: 9, step: 2e-3)
    try checkAllGradients(try MoETrainer(model: model), model: model, x: data.x, y: data.y, seed: data.seed)
}

/// Experts with statistics of their own and a row-standardised gate: the normalisations are
/// constants of the forward pass, so every parameter's gradient must still be exact.
@Test(arguments: [2, 13] as [UInt64])
func ownNormalizationsAndARowStandardizedGateGetExactGradients(seed: UInt64) throws {
    var rng = SeededRNG(seed: seed)
    let experts = [
        Expert(id: 0, inputs: 6, hidden: 5, classes: [0, 1, 2, 3], normalization: InputNormalization(mean: 0.5, std: 2), rng: &rng),
        Expert(id: 1, inputs: 6, hidden: 5, classes: [0, 1, 2, 3], normalization: InputNormalization(mean: -1, std: 0.5), rng: &rng),
        Expert(id: 2, inputs: 6, hidden: 5, classes: [2, 3], normalization: .identity, rng: &rng),
    ]
    let scale = RowScaleStatistics(logScaleMean: 0.1, logScaleStd: 0.4, offsetMean: 0, offsetStd: 1.5)
    let model = try MixtureOfExperts(inputs: 6, classCount: 4, experts: experts, gateInput: .rowStandardized(scale),
                                     config: MoEConfig(topK: 2, balanceCoefficient: 0.1, zLossCoefficient: 0.01), rng: &rng)
    #expect(model.gate.inputs == 8)
    let data = kinkFreeData(model: model, rows: 7, seed: seed + 300, step: 2e-3)
    try checkAllGradients(try MoETrainer(model: model), model: model, x: data.x, y: data.y, seed: data.seed)
}

@Test func gateLossesAreZeroWhenTheirCoefficientsAre() throws {
    let model = try smallModel(experts: 4, k: 2, alpha: 0, beta: 0, seed: 1)
    let data = SyntheticData.gaussian(rows: 6, dimension: 6, classes: 4, seed: 2)
    let stats = try data.x.storage.withUnsafeBufferPointer { xb in
        try data.y.withUnsafeBufferPointer { yb in
            try MoETrainer(model: model).loss(x: xb.baseAddress!, labels: yb.baseAddress!, rows: 6)
        }
    }
    #expect(stats.balance == 0 && stats.zLoss == 0)
    #expect(stats.loss == stats.crossEntropy)
    #expect(stats.crossEntropy > 0)
}
