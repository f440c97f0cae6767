import GroveNumerics

/// How an engine keeps each expert's parameters.
enum ExpertLayout: Equatable {
    /// `[W1 | b1 | W2 | b2]` exactly as `Expert` stores them, inputs normalised with the expert's
    /// statistics before the first layer: the layout gradients and the optimizer work on.
    case training
    /// The expert's normalisation folded into its first layer, so that it reads raw inputs:
    /// W1 is held transposed to `(D, H)` and scaled by `1/std` (the weights an input feature
    /// multiplies are one contiguous row), and b1 becomes `b1 − (mean/std) · Σ_d W1[:, d]`, the
    /// hidden pre-activation of an all-zero input.
    case prediction
    /// The training layout read in place from the expert's own parameter array, which is never
    /// copied: forward passes only, for a model evaluated once (an evaluation over many
    /// experts would otherwise copy every one of them).
    case shared
}

/// Per-expert state for one batch: the expert's parameters as a raw buffer, its share of the
/// batch (gathered inputs, activations, probabilities) and, when it trains, its gradients.
/// Each slot is touched by one worker at a time, so experts run in parallel.
final class ExpertSlot {
    let shape: ExpertShape
    let parameters: FloatBuffer
    /// Shared layout: the expert's own parameters, read in place (``parameters`` is then empty).
    private let sharedParameters: [Float]?
    /// The expert's input statistics (applied to gathered inputs in the training layout, folded
    /// into the weights in the prediction layout).
    let normalization: InputNormalization
    /// Whether W1 is held transposed with the normalisation folded in (the prediction layout).
    let hiddenTransposed: Bool
    /// Local output index of each model-wide class, -1 where the expert has no such output.
    let localClass: [Int32]
    /// Training layout: this expert's rows of the batch, normalised.
    let inputs = FloatBuffer()
    let hidden = FloatBuffer()
    let probabilities = FloatBuffer()
    let dLogits = FloatBuffer()
    let dHidden = FloatBuffer()
    var gradients: FloatBuffer?
    var optimizer: AdamWState?
    var rows = 0

    /// A slot for `expert`; without `loadsParameters` it holds no weights and must never run.
    init(expert: Expert, classCount: Int, layout: ExpertLayout = .training, loadsParameters: Bool = true) {
        let s = expert.shape
        shape = s
        normalization = expert.normalization
        let copies = loadsParameters && layout != .shared
        parameters = copies ? FloatBuffer(copying: expert.parameters) : FloatBuffer()
        sharedParameters = layout == .shared ? expert.parameters : nil
        var local = [Int32](repeating: -1, count: classCount)
        for (c, cls) in expert.classes.enumerated() where Int(cls) < classCount { local[Int(cls)] = Int32(c) }
        localClass = local
        hiddenTransposed = layout == .prediction
        if hiddenTransposed, loadsParameters { foldNormalization(from: expert.parameters) }
    }

    /// A slot that reads `other`'s parameters (the same buffer, never written by either) with
    /// batch buffers of its own, so that two threads can run the same expert at once.
    /// Forward passes only: it has no gradients.
    init(sharingParametersOf other: ExpertSlot) {
        shape = other.shape
        parameters = other.parameters
        sharedParameters = other.sharedParameters
        normalization = other.normalization
        hiddenTransposed = other.hiddenTransposed
        localClass = other.localClass
    }

    /// Writes the prediction layout's first layer: `W1ᵀ / std` and the folded bias, summed in
    /// `Double`.
    private func foldNormalization(from stored: [Float]) {
        let s = shape
        let scale = 1 / normalization.std
        let zero = Double(normalization.normalizedZero)
        let transposed = parameters.pointer + s.w1
        let bias = parameters.pointer + s.b1
        stored.withUnsafeBufferPointer { p in
            for h in 0..<s.hidden {
                var rowSum: Double = 0
                for d in 0..<s.inputs {
                    let w = p[s.w1 + h * s.inputs + d]
                    transposed[d * s.hidden + h] = w * scale
                    rowSum += Double(w)
                }
                bias[h] = Float(Double(p[s.b1 + h]) + zero * rowSum)
            }
        }
    }

    /// Gathers this expert's rows of the raw inputs `x` and runs its forward pass on them.
    func forward(x: UnsafePointer<Float>, tokens: UnsafeBufferPointer<Int32>) {
        rows = tokens.count
        guard rows > 0 else { return }
        let xs = inputs.reserve(rows * shape.inputs)
        Kernels.gatherRows(x, cols: shape.inputs, indices: tokens, into: xs)
        if !hiddenTransposed, !normalization.isIdentity {
            normalization.apply(xs, count: rows * shape.inputs, into: xs)
        }
        let h = hidden.reserve(rows * shape.hidden)
        if let sharedParameters {
            let probs = probabilities.reserve(rows * shape.outputs)
            sharedParameters.withUnsafeBufferPointer { p in
                guard let base = p.baseAddress else { return }
                Expert.forward(parameters: base, shape: shape, x: xs, rows: rows, hidden: h, probabilities: probs)
            }
            return
        }
        let p = UnsafePointer(parameters.pointer)
        if hiddenTransposed {
            BLAS.sgemm(m: rows, n: shape.hidden, k: shape.inputs,
                       a: xs, lda: shape.inputs, b: p + shape.w1, ldb: shape.hidden, c: h, ldc: shape.hidden)
            Kernels.addBiasReLU(h, rows: rows, cols: shape.hidden, bias: p + shape.b1)
            outputLayer()
        } else {
            Expert.forward(parameters: p, shape: shape, x: xs, rows: rows, hidden: h,
                           probabilities: probabilities.reserve(rows * shape.outputs))
        }
    }

    /// The forward pass of this expert's rows of a small batch from their non-zero entries
    /// (prediction layout): each hidden row is the folded bias plus the W1ᵀ rows of the entries,
    /// so the weights of zero features are never read.
    func forward(sparse: SparseRows, tokens: UnsafeBufferPointer<Int32>) {
        rows = tokens.count
        guard rows > 0, hiddenTransposed else { return }
        let base = UnsafePointer(parameters.pointer + shape.b1)
        let h = hidden.reserve(rows * shape.hidden)
        let w1 = UnsafePointer(parameters.pointer + shape.w1)
        for (r, token) in tokens.enumerated() {
            let row = h + r * shape.hidden
            row.update(repeating: 0, count: shape.hidden)
            let t = Int(token)
            Kernels.sparseRowProduct(indices: sparse.indices(ofRow: t), values: sparse.values(ofRow: t),
                                     count: sparse.counts[t], matrix: w1, cols: shape.hidden, accumulatingInto: row)
            Kernels.addBiasReLU(row, rows: 1, cols: shape.hidden, bias: base)
        }
        outputLayer()
    }

    /// `probabilities = softmax(hidden W2ᵀ + b2)` for the current rows.
    private func outputLayer() {
        let p = UnsafePointer(parameters.pointer)
        let probs = probabilities.reserve(rows * shape.outputs)
        Linear.forward(x: hidden.pointer, rows: rows, inputs: shape.hidden, outputs: shape.outputs,
                       weight: p + shape.w2, bias: p + shape.b2, relu: false, into: probs)
        Kernels.softmaxRows(probs, rows: rows, cols: shape.outputs)
    }

    /// Gives back the memory of the batch buffers (not the parameters or gradients).
    func releaseBatchBuffers() {
        for buffer in [inputs, hidden, probabilities, dLogits, dHidden] { buffer.release() }
        rows = 0
    }

    /// The parameters as an array, in `Expert`'s layout (training layout only).
    var parameterArray: [Float] { parameters.array(count: shape.parameterCount) }
}
