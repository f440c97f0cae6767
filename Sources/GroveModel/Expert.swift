import GroveNumerics

/// One expert: a two-layer MLP `D -> H (ReLU) -> C_e` over the classes it has seen.
///
/// `classes[c]` is the model-wide class index of output `c`; an expert gives probability zero
/// to every class it never saw. All parameters sit in one contiguous buffer laid out as
/// `shape` describes. A frozen expert is never given a gradient or optimizer state.
///
/// The expert sees its inputs through its own ``normalization``, the statistics of the data it
/// was grown for, fixed when it is created: a domain on another scale than earlier ones reaches
/// its expert as unit-scale values, and a frozen expert's view of its inputs never changes.
public struct Expert: Sendable, Equatable, Identifiable {
    /// Model-wide expert id (stable across model versions).
    public let id: Int
    /// The expert this one was initialised from, if any (its lineage parent).
    public var parent: Int?
    /// The domain this expert was grown for, if any.
    public var domain: String?
    /// Layer sizes and parameter offsets.
    public let shape: ExpertShape
    /// Model-wide class index of each output, `shape.outputs` entries.
    public let classes: [Int32]
    /// `[W1 | b1 | W2 | b2]`, `shape.parameterCount` values. Only a trainer's result replaces
    /// them, and never once the expert is frozen.
    public internal(set) var parameters: [Float]
    /// True once the expert may no longer change (``MixtureOfExperts/freeze(expert:)``).
    public internal(set) var isFrozen: Bool
    /// The statistics the expert's inputs are normalised with before its first layer.
    public let normalization: InputNormalization

    /// A fresh expert with PyTorch's default initialisation: every weight and bias drawn from
    /// U(-1/√fan_in, 1/√fan_in).
    public init(id: Int, inputs: Int, hidden: Int, classes: [Int32], domain: String? = nil, normalization: InputNormalization = .identity, rng: inout SeededRNG) {
        self.id = id
        self.parent = nil
        self.domain = domain
        self.shape = ExpertShape(inputs: inputs, hidden: hidden, outputs: classes.count)
        self.classes = classes
        self.isFrozen = false
        self.normalization = normalization
        var p = [Float](repeating: 0, count: shape.parameterCount)
        let s = shape
        Expert.fillUniform(&p, range: s.w1..<s.w2, fanIn: inputs, rng: &rng)
        Expert.fillUniform(&p, range: s.w2..<s.parameterCount, fanIn: hidden, rng: &rng)
        self.parameters = p
    }

    /// A new expert initialised from `parent`: the hidden layer is copied; output rows of classes
    /// the parent knows are copied, the others are drawn fresh. The result is unfrozen and
    /// records `parent.id` as its lineage parent. Its `normalization` is its own (the parent's
    /// weights read unit-scale inputs, which the new expert's statistics also give).
    public init(id: Int, initializedFrom parent: Expert, classes: [Int32], domain: String?, normalization: InputNormalization, rng: inout SeededRNG) {
        self.init(id: id, inputs: parent.shape.inputs, hidden: parent.shape.hidden, classes: classes, domain: domain,
                  normalization: normalization, rng: &rng)
        self.parent = parent.id
        let s = shape
        parameters.replaceSubrange(s.w1..<s.w2, with: parent.parameters[s.w1..<s.w2])
        let ps = parent.shape
        for (c, cls) in classes.enumerated() {
            guard let pc = parent.classes.firstIndex(of: cls) else { continue }
            for h in 0..<s.hidden {
                parameters[s.w2 + c * s.hidden + h] = parent.parameters[ps.w2 + pc * ps.hidden + h]
            }
            parameters[s.b2 + c] = parent.parameters[ps.b2 + pc]
        }
    }

    /// Memberwise, for restoring stored experts; callers validate the parameter count.
    init(restoring id: Int, parent: Int?, domain: String?, shape: ExpertShape, classes: [Int32], parameters: [Float], isFrozen: Bool, normalization: InputNormalization) {
        self.id = id
        self.parent = parent
        self.domain = domain
        self.shape = shape
        self.classes = classes
        self.parameters = parameters
        self.isFrozen = isFrozen
        self.normalization = normalization
    }

    /// SHA-256 of the exact parameter bits; equal checksums mean bit-identical weights. The
    /// normalisation is stored beside the weights and is not part of the sum, which keeps the
    /// checksums of experts stored before experts had statistics of their own (and of experts
    /// whose stored samples were rescaled, ``normalization`` with them).
    public var checksum: String { Checksum.sha256(floats: parameters) }

    private static func fillUniform(_ p: inout [Float], range: Range<Int>, fanIn: Int, rng: inout SeededRNG) {
        let bound = 1 / Float(fanIn).squareRoot()
        for i in range { p[i] = (rng.nextUnitFloat() * 2 - 1) * bound }
    }
}

extension Expert {
    /// Forward pass over a contiguous batch of *normalised* inputs `x`:
    /// `hidden = ReLU(x W1ᵀ + b1)` `(rows, H)` and
    /// `probabilities = softmax(hidden W2ᵀ + b2)` `(rows, C)`.
    @inlinable
    public static func forward(
        parameters p: UnsafePointer<Float>, shape s: ExpertShape,
        x: UnsafePointer<Float>, rows: Int,
        hidden: UnsafeMutablePointer<Float>, probabilities: UnsafeMutablePointer<Float>
    ) {
        Linear.forward(x: x, rows: rows, inputs: s.inputs, outputs: s.hidden,
                       weight: p + s.w1, bias: p + s.b1, relu: true, into: hidden)
        Linear.forward(x: hidden, rows: rows, inputs: s.hidden, outputs: s.outputs,
                       weight: p + s.w2, bias: p + s.b2, relu: false, into: probabilities)
        Kernels.softmaxRows(probabilities, rows: rows, cols: s.outputs)
    }

    /// Backward pass given `dLogits = dL/d(pre-softmax logits)` `(rows, C)`: writes all parameter
    /// gradients into `gradients` (`shape.parameterCount`, overwritten). `dHidden` `(rows, H)` is
    /// scratch. The input gradient is not formed: inputs are data.
    @inlinable
    public static func backward(
        parameters p: UnsafePointer<Float>, shape s: ExpertShape,
        x: UnsafePointer<Float>, rows: Int, hidden: UnsafePointer<Float>,
        dLogits: UnsafePointer<Float>, dHidden: UnsafeMutablePointer<Float>,
        gradients g: UnsafeMutablePointer<Float>
    ) {
        Linear.backward(x: hidden, dy: dLogits, rows: rows, inputs: s.hidden, outputs: s.outputs,
                        weight: p + s.w2, dWeight: g + s.w2, dBias: g + s.b2, dx: rows > 0 ? dHidden : nil)
        Kernels.reluBackward(dHidden, activation: hidden, count: rows * s.hidden)
        Linear.backward(x: x, dy: dHidden, rows: rows, inputs: s.inputs, outputs: s.hidden,
                        weight: p + s.w1, dWeight: g + s.w1, dBias: g + s.b1, dx: nil)
    }
}
