import GroveNumerics

/// How an engine keeps each expert's parameters.
enum ExpertLayout: Equatable {
    /// `[W1 | b1 | W2 | b2]` exactly as `Expert` stores them: the layout gradients and the
    /// optimizer work on.
    case training
    /// W1 transposed to `(D, H)`, so that the weights an input feature multiplies are one
    /// contiguous row; `background` is the (normalised) input value rows of small batches skip.
    case prediction(background: Float)
}

/// Per-expert state for one batch: the expert's parameters as a raw buffer, its share of the
/// batch (gathered inputs, activations, probabilities) and, when it trains, its gradients.
/// Each slot is touched by one worker at a time, so experts run in parallel.
final class ExpertSlot {
    let shape: ExpertShape
    let parameters: FloatBuffer
    /// Whether W1 is held transposed (the prediction layout).
    let hiddenTransposed: Bool
    /// Prediction layout only: the hidden pre-activations of an input that is `background`
    /// everywhere, `b1 + background · Σ_d W1[:, d]` (computed in Double).
    let backgroundHidden: FloatBuffer?
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

    init(expert: Expert, classCount: Int, layout: ExpertLayout = .training) {
        let s = expert.shape
        shape = s
        parameters = FloatBuffer(copying: expert.parameters)
        var local = [Int32](repeating: -1, count: classCount)
        for (c, cls) in expert.classes.enumerated() where Int(cls) < classCount { local[Int(cls)] = Int32(c) }
        localClass = local
        guard case .prediction(let background) = layout else {
            hiddenTransposed = false
            backgroundHidden = nil
            return
        }
        hiddenTransposed = true
        let base = FloatBuffer(capacity: s.hidden)
        let transposed = parameters.pointer + s.w1
        expert.parameters.withUnsafeBufferPointer { p in
            for h in 0..<s.hidden {
                var rowSum: Double = 0
                for d in 0..<s.inputs {
                    let w = p[s.w1 + h * s.inputs + d]
                    transposed[d * s.hidden + h] = w
                    rowSum += Double(w)
                }
                base.pointer[h] = Float(Double(p[s.b1 + h]) + Double(background) * rowSum)
            }
        }
        backgroundHidden = base
    }

    /// Gathers this expert's rows of `x` and runs its forward pass on them.
    func forward(x: UnsafePointer<Float>, tokens: UnsafeBufferPointer<Int32>) {
        rows = tokens.count
        guard rows > 0 else { return }
        let xs = inputs.reserve(rows * shape.inputs)
        Kernels.gatherRows(x, cols: shape.inputs, indices: tokens, into: xs)
        let p = UnsafePointer(parameters.pointer)
        let h = hidden.reserve(rows * shape.hidden)
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

    /// The forward pass of this expert's rows of a small batch from their non-background
    /// entries (prediction layout): each hidden row is `backgroundHidden` plus the W1ᵀ rows of
    /// the entries, so the weights of background features are never read.
    func forward(sparse: SparseRows, tokens: UnsafeBufferPointer<Int32>) {
        rows = tokens.count
        guard rows > 0, let base = backgroundHidden?.pointer else { return }
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

    /// The parameters as an array, in `Expert`'s layout (training layout only).
    var parameterArray: [Float] { parameters.array(count: shape.parameterCount) }
}
