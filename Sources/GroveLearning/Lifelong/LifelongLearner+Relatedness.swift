import GroveModel
import GroveNumerics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LifelongLearner {
    /// Rows of the new data the relatedness test looks at, at most.
    static let relatednessSamples = 1024

    /// Whether `parent` is a better start for a new domain's expert than random weights: a
    /// zero-shot test of relatedness in the spirit of Expert Gate (Aljundi, Chakravarty &
    /// Tuytelaars, CVPR 2017), which judges it with task autoencoders instead.
    ///
    /// The parent's weights read the new data through the new expert's statistics
    /// (`normalization`), exactly as the initialised expert would before its first step; the
    /// parent is related when its mean cross-entropy on the new labels it knows is below
    /// `log C`, the loss of a uniform guess over its `C` classes. Only rows whose label the
    /// parent knows count (a seeded sample of at most ``relatednessSamples``); with none, or
    /// with a parent of one class, nothing can be judged and the parent is not related. An
    /// unrelated parent (a rotated or permuted domain, new classes only) would hand its
    /// features to a domain they do not fit: on Fashion-MNIST a domain rotated by 90° learned
    /// 0.01–0.02 worse from such a start than from random weights.
    func isRelated(_ parent: Expert, x: Matrix, y: [Int32], normalization: InputNormalization, seed: UInt64) throws -> Bool {
        let known = Set(parent.classes)
        let rows = y.indices.filter { known.contains(y[$0]) }
        guard let top = parent.classes.max(), parent.classes.count > 1, !rows.isEmpty else { return false }
        var rng = SeededRNG.derived(seed: seed, stream: 0x5E1A)
        let chosen = SeededSubsample.indices(count: rows.count, choose: Self.relatednessSamples, rng: &rng).map { rows[$0] }
        let sample = x.storage.withUnsafeBufferPointer { SeededSubsample.gather($0, dimension: x.cols, rows: chosen) }
        let candidate = Expert(id: 0, initializedFrom: parent, classes: parent.classes, domain: nil,
                               normalization: normalization, rng: &rng)
        let classCount = Int(top) + 1
        let predictor = try MoEPredictor(model: MixtureOfExperts(inputs: x.cols, classCount: classCount,
                                                                 experts: [candidate], rng: &rng))
        var loss = 0.0
        sample.withUnsafeBufferPointer { values in
            guard let base = values.baseAddress else { return }
            predictor.predict(x: base, rows: chosen.count) { probabilities, _ in
                for (r, row) in chosen.enumerated() {
                    loss -= Double(logf(max(probabilities[r * classCount + Int(y[row])], 1e-30)))
                }
            }
        }
        return loss / Double(chosen.count) < log(Double(parent.classes.count))
    }
}
