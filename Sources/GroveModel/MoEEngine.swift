import GroveNumerics

/// The forward machinery shared by training and prediction: parameters in raw buffers, the
/// gate, the routing of the current batch and every expert's slot.
///
/// Raw inputs go to the experts, each of which normalises them with its own statistics
/// (``ExpertSlot``); the gate reads them through the model's ``GateInput``.
final class MoEEngine {
    let model: MixtureOfExperts
    let slots: [ExpertSlot]
    let gateShape: GateShape
    let gateParameters: FloatBuffer
    let gateHidden = FloatBuffer()
    let gateLogits = FloatBuffer()
    let gateInputBuffer = FloatBuffer()
    /// What the gate read of the current batch, `(rows, gate inputs)`, valid until the next
    /// `forward`.
    private(set) var gateInput: UnsafePointer<Float>?
    let routing = Routing()
    /// Experts with rows in the current batch, reused between calls.
    private var busy: [Int] = []
    /// Prediction layout only: the non-background entries of small batches.
    private let sparseRows: SparseRows?
    /// Runs the second half of a small batch's busy experts, from `busy[from]` on, or with
    /// ``besideJob`` the work given to run beside the gate; created on first use, so engines
    /// that never see a small batch start no thread.
    private lazy var sparseHelper: HotHelper = {
        let work = { [unowned self] (from: Int) in
            if from == Self.besideJob {
                beside?()
            } else {
                for position in from..<busy.count { forwardSparse(expert: busy[position]) }
            }
        }
        guard let (spin, pickup) = helperTiming else { return HotHelper(work: work) }
        return HotHelper(spin: spin, pickup: pickup, work: work)
    }()
    /// How long the helper spins between jobs and how long a job waits for it (``HotHelper``):
    /// ``HotHelper``'s defaults unless a test lengthens them (nil), so that a loaded machine
    /// still hands work over.
    var helperTiming: (spin: Duration, pickup: Duration)?
    /// Whether a small batch may hand work to the helper: it may use every core, and there is
    /// more than one.
    private var mayUseHelper: Bool { usesEveryCore && Parallel.workerCount > 1 }
    /// The helper's argument for ``beside``.
    private static let besideJob = -1
    /// The work a small batch's caller gave to run beside its forward pass, while the helper
    /// may run it; nil otherwise.
    private var beside: (() -> Void)?

    /// An engine over a copy of `model`'s parameters, kept in `layout`; with `loaded`, only the
    /// experts it marks (by gate row) get their weights, the others must never run.
    init(model: MixtureOfExperts, layout: ExpertLayout = .training, loaded: [Bool]? = nil) {
        self.model = model
        slots = model.experts.enumerated().map { i, expert in
            ExpertSlot(expert: expert, classCount: model.classCount, layout: layout, loadsParameters: loaded?[i] ?? true)
        }
        if layout == .prediction {
            sparseRows = SparseRows(features: model.inputs)
        } else {
            sparseRows = nil
        }
        gateShape = model.gate.shape
        gateParameters = FloatBuffer(copying: model.gate.parameters)
        raisesBLASThreads = layout != .prediction
    }

    /// An engine over `other`'s parameters, not copied, with batch buffers of its own: for
    /// forward passes on another thread while `other` runs. Neither engine may train.
    init(sharingParametersOf other: MoEEngine) {
        model = other.model
        slots = other.slots.map { ExpertSlot(sharingParametersOf: $0) }
        sparseRows = other.sparseRows.map { _ in SparseRows(features: other.model.inputs) }
        gateShape = other.gateShape
        gateParameters = other.gateParameters
        raisesBLASThreads = other.raisesBLASThreads
    }

    /// Whether a batch may use every core: a small batch's experts split with a helper thread
    /// (``runSparseExperts()``), a larger one's experts run in parallel. Off, everything runs on
    /// the calling thread: for predictions while others keep the cores busy, where more threads
    /// would only take cores from them.
    var usesEveryCore = true
    /// Whether a lone busy expert or a large gate product may raise OpenBLAS's thread count,
    /// which is one setting for the whole process. Off in the prediction layout: served
    /// predictors run beside each other and must not change what the other's products use.
    let raisesBLASThreads: Bool

    /// The clean (noiseless, unrestricted, dropless) forward pass of `rows` raw inputs `x`, and
    /// `beside` run once, done when this returns.
    ///
    /// A small batch that may use every core hands `beside` to its hot helper while this
    /// thread runs the gate, when the helper is spinning, and waits for it before the experts
    /// (which the helper then splits with this thread). Otherwise `beside` runs here.
    /// - Parameter beside: work independent of the forward pass, touching none of its memory.
    func forward(x: UnsafePointer<Float>, rows: Int, beside: () -> Void) {
        var noise: SeededRNG? = nil
        // Only to a helper already spinning: one woken for this would spin in vain after a
        // lone request, and would count the experts' hand-over as a burst of calls.
        guard rows <= SparseRows.maxRows, sparseRows != nil, mayUseHelper, !sparseHelper.isAsleep else {
            forward(x: x, rows: rows, noise: &noise, allowed: nil, capacityFactor: nil)
            beside()
            return
        }
        withoutActuallyEscaping(beside) { beside in
            self.beside = beside
            let handed = sparseHelper.start(Self.besideJob)
            route(x: x, rows: rows, noise: &noise, allowed: nil, capacityFactor: nil)
            if !handed || !sparseHelper.wait() { beside() }
            self.beside = nil
            runExperts(x: x, rows: rows)
        }
    }

    /// Gate, routing and expert forward passes for `rows` raw inputs `x` `(rows, D)`.
    /// - Parameters:
    ///   - noise: a generator for noisy top-k, or nil for clean routing.
    ///   - allowed: experts routing may choose (by gate row), nil for all.
    func forward(x: UnsafePointer<Float>, rows: Int, noise: inout SeededRNG?, allowed: [Bool]?, capacityFactor: Float?) {
        if usesEveryCore, raisesBLASThreads, rows * gateShape.inputs * max(gateShape.hidden, gateShape.experts) >= Self.threadedGateProduct,
           Parallel.workerCount > 1 {
            // One large gate product: every core works inside it (the experts then run in parallel).
            let previous = BLAS.threads
            BLAS.setThreads(Parallel.workerCount)
            route(x: x, rows: rows, noise: &noise, allowed: allowed, capacityFactor: capacityFactor)
            BLAS.setThreads(previous)
        } else {
            route(x: x, rows: rows, noise: &noise, allowed: allowed, capacityFactor: capacityFactor)
        }
        runExperts(x: x, rows: rows)
    }

    /// The experts' forward passes over the routed batch `x`.
    private func runExperts(x: UnsafePointer<Float>, rows: Int) {
        if rows <= SparseRows.maxRows, let sparseRows {
            sparseRows.fill(x: x, rows: rows)
            runSparseExperts()
        } else {
            runExperts { slot, index in slot.forward(x: x, tokens: routing.segmentTokens(index)) }
        }
    }

    /// Multiply-adds of the gate's first product from which
    /// ``forward(x:rows:noise:allowed:capacityFactor:)`` gives it every core (an evaluation's
    /// blocks of 8 192 rows through a hidden gate: 1.6 G); smaller products stay on one thread,
    /// where switching OpenBLAS's threads would cost more than it saves.
    static let threadedGateProduct = 64 << 20

    /// The gate's forward pass and the routing of `rows` raw inputs `x`, without the experts.
    func route(x: UnsafePointer<Float>, rows: Int, noise: inout SeededRNG?, allowed: [Bool]?, capacityFactor: Float?) {
        let e = gateShape.experts
        var gx = x
        if !model.gateInput.isIdentity {
            let buffer = gateInputBuffer.reserve(rows * gateShape.inputs)
            model.gateInput.transform(x, rows: rows, features: model.inputs, into: buffer)
            gx = UnsafePointer(buffer)
        }
        gateInput = gx
        let logits = gateLogits.reserve(rows * e)
        let hidden = gateShape.hidden > 0 ? gateHidden.reserve(rows * gateShape.hidden) : nil
        // Only the prediction layout (the one with sparse rows) splits its gate into blocks.
        if sparseRows != nil, rows > Self.gateBlockRows {
            forwardGateInBlocks(x: gx, rows: rows, hidden: hidden, logits: logits)
        } else {
            Gate.forward(parameters: gateParameters.pointer, gate: gateShape, x: gx, rows: rows, hiddenScratch: hidden, logits: logits)
        }
        if var rng = noise, model.config.noiseStd > 0 {
            rng.addGaussian(scale: model.config.noiseStd, to: logits, count: rows * e)
            noise = rng
        }
        routing.route(logits: logits, rows: rows, experts: e, k: model.config.topK,
                      capacityFactor: capacityFactor, allowed: allowed)
    }

    /// Rows per block of the prediction layout's gate product. A larger batch's gate runs block
    /// by block: in parallel when the batch may use every core, else one block after another,
    /// so that a row's logits are the same whether its request ran alone or beside others.
    /// Without blocks, a lone request's gate product (as costly as one expert's) ran on one core
    /// while its experts ran on all.
    static let gateBlockRows = 64

    /// The gate's forward pass over `rows` rows `x` in blocks of ``gateBlockRows``.
    private func forwardGateInBlocks(x: UnsafePointer<Float>, rows: Int, hidden: UnsafeMutablePointer<Float>?, logits: UnsafeMutablePointer<Float>) {
        let shape = gateShape, parameters = gateParameters.pointer, size = Self.gateBlockRows
        let block = { (index: Int) in
            let start = index * size
            Gate.forward(parameters: parameters, gate: shape, x: x + start * shape.inputs, rows: min(size, rows - start),
                         hiddenScratch: hidden.map { $0 + start * shape.hidden }, logits: logits + start * shape.experts)
        }
        let blocks = (rows + size - 1) / size
        if usesEveryCore {
            Parallel.forEach(blocks, block)
        } else {
            for index in 0..<blocks { block(index) }
        }
    }

    /// The small-batch path of the prediction layout: this thread runs the first half of the
    /// busy experts and a hot helper thread the rest (when it is spinning; see `HotHelper`).
    private func runSparseExperts() {
        busy.removeAll(keepingCapacity: true)
        for i in slots.indices where routing.segmentRows(i) > 0 { busy.append(i) }
        let half = (busy.count + 1) / 2
        if busy.count >= 2, mayUseHelper, sparseHelper.start(half) {
            for position in 0..<half { forwardSparse(expert: busy[position]) }
            if !sparseHelper.wait() {
                for position in half..<busy.count { forwardSparse(expert: busy[position]) }
            }
        } else {
            for i in busy { forwardSparse(expert: i) }
        }
    }

    /// Runs expert `index` on its rows of the current small batch.
    private func forwardSparse(expert index: Int) {
        guard let sparseRows else { return }
        slots[index].forward(sparse: sparseRows, tokens: routing.segmentTokens(index))
    }

    /// Runs `body` for every expert that has rows in the current batch, in parallel when the
    /// batch is large enough to be worth it.
    func runExperts(onlyTrainable: Bool = false, _ body: (ExpertSlot, Int) -> Void) {
        busy.removeAll(keepingCapacity: true)
        for i in slots.indices where routing.segmentRows(i) > 0 && (!onlyTrainable || slots[i].gradients != nil) { busy.append(i) }
        let busy = self.busy
        if !usesEveryCore {
            for i in busy { body(slots[i], i) }
        } else if busy.count == 1, raisesBLASThreads, routing.rows >= 64, Parallel.workerCount > 1 {
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
