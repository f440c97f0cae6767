import GroveNumerics

/// Per-expert state for one batch: the expert's parameters as a raw buffer, its share of the
/// batch (gathered inputs, activations, probabilities) and, when it trains, its gradients.
/// Each slot is touched by one worker at a time, so experts run in parallel.
final class ExpertSlot {
    let shape: ExpertShape
    let parameters: FloatBuffer
    /// Local output index of each model-wide class, -1 where the expert has no such output.
    let localClass: [Int32]
    let inputs = FloatBuffer()
    let hidden = FloatBuffer()
    let probabilities = FloatBuffer()
    let dLogits = FloatBuffer()
    let dHidden = FloatBuffer()
    var gradients: FloatBuffer?
    var optimizer: AdamWState?
    var rows = 0

    init(expert: Expert, classCount: Int) {
        shape = expert.shape
        parameters = FloatBuffer(copying: expert.parameters)
        var local = [Int32](repeating: -1, count: classCount)
        for (c, cls) in expert.classes.enumerated() where Int(cls) < classCount { local[Int(cls)] = Int32(c) }
        localClass = local
    }

    /// Gathers this expert's rows of `x` and runs its forward pass on them.
    func forward(x: UnsafePointer<Float>, tokens: UnsafeBufferPointer<Int32>) {
        rows = tokens.count
        guard rows > 0 else { return }
        let xs = inputs.reserve(rows * shape.inputs)
        Kernels.gatherRows(x, cols: shape.inputs, indices: tokens, into: xs)
        Expert.forward(parameters: parameters.pointer, shape: shape, x: xs, rows: rows,
                       hidden: hidden.reserve(rows * shape.hidden),
                       probabilities: probabilities.reserve(rows * shape.outputs))
    }

    /// The parameters as an array.
    var parameterArray: [Float] { parameters.array(count: shape.parameterCount) }
}

/// The forward machinery shared by training and prediction: parameters in raw buffers, the
/// gate, the routing of the current batch and every expert's slot.
final class MoEEngine {
    let model: MixtureOfExperts
    let slots: [ExpertSlot]
    let gateShape: GateShape
    let gateParameters: FloatBuffer
    let gateHidden = FloatBuffer()
    let gateLogits = FloatBuffer()
    let normalizedInput = FloatBuffer()
    /// The (normalised) inputs of the current batch, valid until the next `forward`.
    private(set) var input: UnsafePointer<Float>?
    let routing = Routing()
    /// Experts with rows in the current batch, reused between calls.
    private var busy: [Int] = []

    init(model: MixtureOfExperts) {
        self.model = model
        slots = model.experts.map { ExpertSlot(expert: $0, classCount: model.classCount) }
        gateShape = model.gate.shape
        gateParameters = FloatBuffer(copying: model.gate.parameters)
    }

    /// Gate, routing and expert forward passes for `rows` inputs `x` `(rows, D)`.
    /// - Parameters:
    ///   - noise: a generator for noisy top-k, or nil for clean routing.
    ///   - allowed: experts routing may choose (by gate row), nil for all.
    func forward(x raw: UnsafePointer<Float>, rows: Int, noise: inout SeededRNG?, allowed: [Bool]?, capacityFactor: Float?) {
        let e = gateShape.experts
        var x = raw
        if !model.normalization.isIdentity {
            let count = rows * model.inputs
            let buffer = normalizedInput.reserve(count)
            model.normalization.apply(raw, count: count, into: buffer)
            x = UnsafePointer(buffer)
        }
        input = x
        let logits = gateLogits.reserve(rows * e)
        Gate.forward(parameters: gateParameters.pointer, gate: gateShape, x: x, rows: rows,
                     hiddenScratch: gateShape.hidden > 0 ? gateHidden.reserve(rows * gateShape.hidden) : nil,
                     logits: logits)
        if var rng = noise, model.config.noiseStd > 0 {
            let std = model.config.noiseStd
            for i in 0..<(rows * e) { logits[i] += std * rng.nextGaussian() }
            noise = rng
        }
        routing.route(logits: logits, rows: rows, experts: e, k: model.config.topK,
                      capacityFactor: capacityFactor, allowed: allowed)
        runExperts { slot, index in
            let start = routing.segmentStart[index]
            let tokens = UnsafeBufferPointer(start: routing.segmentToken.pointer + start, count: routing.segmentRows(index))
            slot.forward(x: x, tokens: tokens)
        }
    }

    /// Runs `body` for every expert that has rows in the current batch, in parallel when the
    /// batch is large enough to be worth it.
    func runExperts(onlyTrainable: Bool = false, _ body: (ExpertSlot, Int) -> Void) {
        busy.removeAll(keepingCapacity: true)
        for i in slots.indices where routing.segmentRows(i) > 0 && (!onlyTrainable || slots[i].gradients != nil) { busy.append(i) }
        let busy = self.busy
        if busy.count == 1, routing.rows >= 64, Parallel.workerCount > 1 {
            // One busy expert: let BLAS use every core inside its products instead.
            BLAS.setThreads(Parallel.workerCount)
            body(slots[busy[0]], busy[0])
            BLAS.setThreads(1)
        } else if routing.rows < 8 || busy.count < 2 {
            for i in busy { body(slots[i], i) }
        } else {
            Parallel.forEach(busy.count) { body(slots[busy[$0]], busy[$0]) }
        }
    }
}

extension MoEEngine {
    /// The model-wide probability `p(y|x_t)` of every class for the current batch, written into
    /// `out` `(rows, classCount)`.
    func mixtureProbabilities(into out: UnsafeMutablePointer<Float>) {
        let c = model.classCount
        let k = routing.k
        out.update(repeating: 0, count: routing.rows * c)
        for (index, slot) in slots.enumerated() where routing.segmentRows(index) > 0 {
            let start = routing.segmentStart[index]
            let classes = model.experts[index].classes
            for r in 0..<slot.rows {
                let a = Int(routing.segmentAssignment.pointer[start + r])
                let w = routing.weight.pointer[a]
                let dst = out + (a / k) * c
                let src = slot.probabilities.pointer + r * slot.shape.outputs
                for (o, cls) in classes.enumerated() { dst[Int(cls)] += w * src[o] }
            }
        }
    }
}
