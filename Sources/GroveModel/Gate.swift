import GroveNumerics

/// The router: one logit per expert, `logits = W x + b`, or through a ReLU hidden layer
/// `logits = W2 ReLU(W1 x + b1) + b2` when `hidden > 0`.
///
/// Parameters sit in one buffer: `[W1 (G x D) | b1 (G)]` (hidden gates only), then
/// `[W (E x in) | b (E)]` for the output layer, where `in` is G or D. Adding an expert appends
/// one output row; existing logits are unchanged.
public struct Gate: Sendable, Equatable {
    /// Input features (D).
    public let inputs: Int
    /// Hidden units (G); 0 for a linear gate.
    public let hidden: Int
    /// Number of experts (E), one logit each.
    public private(set) var experts: Int
    /// All gate parameters, laid out as described above.
    public var parameters: [Float]

    /// A gate over `experts` experts with PyTorch-style uniform initialisation.
    public init(inputs: Int, hidden: Int = 0, experts: Int, rng: inout SeededRNG) {
        self.inputs = inputs
        self.hidden = hidden
        self.experts = experts
        self.parameters = []
        if hidden > 0 {
            let bound = 1 / Float(inputs).squareRoot()
            for _ in 0..<(hidden * inputs + hidden) { parameters.append((rng.nextUnitFloat() * 2 - 1) * bound) }
        }
        let fanIn = hidden > 0 ? hidden : inputs
        let bound = 1 / Float(fanIn).squareRoot()
        for _ in 0..<(experts * fanIn + experts) { parameters.append((rng.nextUnitFloat() * 2 - 1) * bound) }
    }

    /// Width of the output layer's input: G for a hidden gate, D otherwise.
    @inlinable public var outputFanIn: Int { hidden > 0 ? hidden : inputs }
    /// Offset of the output layer's weights.
    @inlinable public var outputWeightOffset: Int { hidden > 0 ? hidden * inputs + hidden : 0 }
    /// Offset of the output layer's biases.
    @inlinable public var outputBiasOffset: Int { outputWeightOffset + experts * outputFanIn }

    /// Appends a logit row for a new expert: zero weights and a zero bias, so that the gate is
    /// unchanged for every other expert and retraining decides where the newcomer is used.
    public mutating func addExpert() {
        let rowStart = outputBiasOffset
        parameters.insert(contentsOf: [Float](repeating: 0, count: outputFanIn), at: rowStart)
        parameters.append(0)
        experts += 1
    }

    /// Logits `(rows, E)` for a batch `x` `(rows, D)`; `hiddenScratch` holds `(rows, G)` when
    /// the gate has a hidden layer (ignored otherwise).
    @inlinable
    public static func forward(
        parameters p: UnsafePointer<Float>, gate: GateShape,
        x: UnsafePointer<Float>, rows: Int,
        hiddenScratch: UnsafeMutablePointer<Float>?, logits: UnsafeMutablePointer<Float>
    ) {
        var input = x
        if gate.hidden > 0, let h = hiddenScratch {
            Linear.forward(x: x, rows: rows, inputs: gate.inputs, outputs: gate.hidden,
                           weight: p, bias: p + gate.hidden * gate.inputs, relu: true, into: h)
            input = UnsafePointer(h)
        }
        Linear.forward(x: input, rows: rows, inputs: gate.fanIn, outputs: gate.experts,
                       weight: p + gate.outputWeight, bias: p + gate.outputBias, relu: false, into: logits)
    }

    /// Gradients of all gate parameters (overwritten) given `dLogits` `(rows, E)`.
    /// `dHiddenScratch` `(rows, G)` is needed for hidden gates.
    @inlinable
    public static func backward(
        parameters p: UnsafePointer<Float>, gate: GateShape,
        x: UnsafePointer<Float>, rows: Int, hidden: UnsafePointer<Float>?,
        dLogits: UnsafePointer<Float>, dHiddenScratch: UnsafeMutablePointer<Float>?,
        gradients g: UnsafeMutablePointer<Float>
    ) {
        if gate.hidden > 0, let h = hidden, let dh = dHiddenScratch {
            Linear.backward(x: h, dy: dLogits, rows: rows, inputs: gate.hidden, outputs: gate.experts,
                            weight: p + gate.outputWeight, dWeight: g + gate.outputWeight,
                            dBias: g + gate.outputBias, dx: dh)
            Kernels.reluBackward(dh, activation: h, count: rows * gate.hidden)
            Linear.backward(x: x, dy: dh, rows: rows, inputs: gate.inputs, outputs: gate.hidden,
                            weight: p, dWeight: g, dBias: g + gate.hidden * gate.inputs, dx: nil)
        } else {
            Linear.backward(x: x, dy: dLogits, rows: rows, inputs: gate.inputs, outputs: gate.experts,
                            weight: p + gate.outputWeight, dWeight: g + gate.outputWeight,
                            dBias: g + gate.outputBias, dx: nil)
        }
    }

    /// The sizes and offsets the pointer-level kernels need.
    public var shape: GateShape {
        GateShape(inputs: inputs, hidden: hidden, experts: experts,
                  outputWeight: outputWeightOffset, outputBias: outputBiasOffset)
    }
}

/// Sizes and parameter offsets of a gate, for the pointer-level forward and backward.
public struct GateShape: Sendable, Equatable {
    /// Input features (D).
    public let inputs: Int
    /// Hidden units (G); 0 for a linear gate.
    public let hidden: Int
    /// Number of experts (E).
    public let experts: Int
    /// Offset of the output layer's weights.
    public let outputWeight: Int
    /// Offset of the output layer's biases.
    public let outputBias: Int
    /// Width of the output layer's input.
    @inlinable public var fanIn: Int { hidden > 0 ? hidden : inputs }
    /// Total number of gate parameters.
    @inlinable public var parameterCount: Int { outputBias + experts }
}
