import GroveNumerics

/// Class probabilities and chosen experts for batches of inputs, without allocating per call
/// once its buffers have grown to the largest batch seen.
///
/// Routing is clean (no noise) and dropless. Each expert's normalisation is folded into its first
/// layer, so experts read raw inputs. Batches of up to four rows read only the expert weights of
/// their non-zero features (half of a Fashion-MNIST image is zero), and while calls come back to
/// back their experts are split with a helper thread (`HotHelper`); probabilities equal the
/// training forward pass's up to float rounding.
/// Not thread-safe: one predictor per thread at a time; ``sibling()`` gives another thread one
/// over the same weights.
public final class MoEPredictor {
    let engine: MoEEngine
    let output = FloatBuffer()
    var noRNG: SeededRNG? = nil

    /// A predictor over a copy of `model`'s parameters.
    /// - Throws: `ModelError.noExperts` for a model without experts.
    public init(model: MixtureOfExperts) throws(ModelError) {
        guard !model.experts.isEmpty else { throw .noExperts }
        engine = MoEEngine(model: model, layout: .prediction)
    }

    /// A predictor whose hot helper spins `spin` between jobs and takes a job within `pickup`:
    /// for tests, whose machine may be too loaded for the defaults' microseconds.
    convenience init(model: MixtureOfExperts, helperSpin spin: Duration, pickup: Duration) throws(ModelError) {
        try self.init(model: model)
        engine.helperTiming = (spin, pickup)
    }

    /// A predictor that reads `model`'s expert weights where they are, neither copied nor
    /// folded: for an evaluation that runs large batches once, where a folded copy of every
    /// expert would cost more memory and time than it saves. Every batch takes the dense path.
    /// - Throws: `ModelError.noExperts` for a model without experts.
    public init(sharing model: MixtureOfExperts) throws(ModelError) {
        guard !model.experts.isEmpty else { throw .noExperts }
        engine = MoEEngine(model: model, layout: .shared)
    }

    /// A predictor over the same folded weights, not copied, with batch buffers of its own:
    /// for predictions on another thread at the same time as this one's. It never splits a
    /// batch over several cores (``usesEveryCore`` is false).
    public func sibling() -> MoEPredictor {
        MoEPredictor(engine: MoEEngine(sharingParametersOf: engine))
    }

    private init(engine: MoEEngine) {
        engine.usesEveryCore = false
        self.engine = engine
    }

    /// Whether a batch may use every core (a small one's experts split with a helper thread,
    /// a larger one's gate, in blocks of rows, and experts in parallel); turn it off while other
    /// predictions keep every core busy, so that each runs on its own thread alone. Answers are
    /// the same bits either way.
    public var usesEveryCore: Bool {
        get { engine.usesEveryCore }
        set { engine.usesEveryCore = newValue }
    }

    /// The model this predictor evaluates.
    public var model: MixtureOfExperts { engine.model }

    /// Gives back the memory each expert's batch buffers grew to. Every expert keeps buffers as
    /// large as the most rows it got in one batch, so over large batches of different domains
    /// they add up with the number of experts; an evaluation releases them after each batch.
    public func releaseBatchBuffers() {
        for slot in engine.slots { slot.releaseBatchBuffers() }
    }

    /// Computes `p(y|x)` for `rows` inputs and calls `body` with the `(rows, classCount)`
    /// probabilities and the `(rows, k)` chosen gate rows, valid only during the call.
    public func predict<R>(x: UnsafePointer<Float>, rows: Int, _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        engine.forward(x: x, rows: rows, noise: &noRNG, allowed: nil, capacityFactor: nil)
        return try answer(rows: rows, body)
    }

    /// ``predict(x:rows:_:)`` with `beside` run once before `body` is called: for a small
    /// batch on the hot helper thread while this one runs the gate, if the helper is spinning,
    /// else on this thread. `beside` must touch no memory of this predictor, and none that the
    /// caller touches before `body` runs.
    public func predict<R>(x: UnsafePointer<Float>, rows: Int, beside: () -> Void,
                           _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        engine.forward(x: x, rows: rows, beside: beside)
        return try answer(rows: rows, body)
    }

    /// The probabilities and chosen experts of the forward pass just run, handed to `body`.
    private func answer<R>(rows: Int, _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        let c = engine.model.classCount
        let out = output.reserve(rows * c)
        engine.mixtureProbabilities(into: out)
        return try body(UnsafeBufferPointer(start: out, count: rows * c),
                        UnsafeBufferPointer(start: engine.routing.expert.pointer, count: rows * engine.routing.k))
    }

    /// The most probable class of each input.
    public func classify(_ x: Matrix) throws(ModelError) -> [Int32] {
        guard x.cols == engine.model.inputs else { throw .inputDimension(expected: engine.model.inputs, got: x.cols) }
        let c = engine.model.classCount
        return x.storage.withUnsafeBufferPointer { xb in
            guard let base = xb.baseAddress else { return [] }
            return predict(x: base, rows: x.rows) { probs, _ in
                (0..<x.rows).map { r in
                    var best = 0
                    for j in 1..<max(c, 1) where probs[r * c + j] > probs[r * c + best] { best = j }
                    return Int32(best)
                }
            }
        }
    }
}
