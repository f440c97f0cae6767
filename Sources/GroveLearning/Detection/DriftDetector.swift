import GroveNumerics

/// The new-distribution detector: tests a dataset against every known domain's signature
/// with an ``MMDTest`` and decides `new` or `known`.
///
/// The new data are cut once to a seeded subsample of at most
/// ``DriftDetectorConfig/samplesPerSide`` rows; each signature's reference sample (cut again if
/// it is larger) is the other side. The nearest domain is the one with the smallest MMD²;
/// the decision is `known` when its p-value is at least α. Tests against different domains run
/// in parallel, and domains with equal signature sizes share one set of permutations, so a
/// domain's evidence does not depend on which other domains are known.
///
/// ```swift
/// let detector = DriftDetector(config: DriftDetectorConfig(seed: 0))
/// let detection = try detector.detect(x, source: "bags.idx",
///                                     against: [("tops", tops), ("shoes", shoes)], declared: "bags")
/// if let message = detection.contradiction { logger.info("\(message)") }
/// ```
///
/// Note that the test is a test of *equal distributions*: with enough samples it also flags a
/// small shift of a known domain, which is what lifelong learning wants (a new expert) when the
/// shift is real. α bounds the rate of false `new` decisions for data of a known domain.
public struct DriftDetector: Sendable {
    /// The settings.
    public var config: DriftDetectorConfig

    /// Creates a detector.
    public init(config: DriftDetectorConfig = DriftDetectorConfig()) {
        self.config = config
    }

    /// Tests `x` against every known domain and decides whether it is new.
    /// - Parameters:
    ///   - x: the new data, `rows x D`.
    ///   - source: the dataset's name, for messages.
    ///   - known: the known domains and their signatures, in creation order.
    ///   - declared: the domain the submitter declared, if any; fills
    ///     ``Detection/contradiction`` when the evidence disagrees.
    /// - Returns: the decision, the nearest domain and the evidence against every domain.
    /// - Throws: ``LearningError/emptyDataset(source:)`` when `x` has no rows,
    ///   ``LearningError/tooFewSamples(source:needed:got:)`` when `x` or a signature has fewer
    ///   than ``DriftDetectorConfig/minimumSamples`` rows, and
    ///   ``LearningError/dimensionMismatch(source:expected:got:)`` when a signature's dimension
    ///   differs from `x`'s.
    public func detect(
        _ x: Matrix, source: String,
        against known: [(name: String, signature: DomainSignature)], declared: String? = nil
    ) throws -> Detection {
        try detect(x, source: source, against: known.map(\.name), declared: declared) { known[$0].signature }
    }

    /// Tests `x` against the known domains `names` whose per-feature means are `means`, reading
    /// a domain's signature through `signature` only when its test runs.
    ///
    /// Only the ``DriftDetectorConfig/candidates`` domains whose means are nearest to the new
    /// data's mean (squared Euclidean distance: the MMD² of a linear kernel), and the declared
    /// domain when it is known, get the permutation test; with at most that many domains every
    /// domain is tested. Data of a known domain have a mean within sampling noise of its own,
    /// so that domain is among the nearest unless more than `candidates` domains share its mean.
    /// - Parameter signature: the signature of `names[i]`; what it throws ends the detection.
    public func detect(
        _ x: Matrix, source: String, against names: [String], means: [[Float]], declared: String? = nil,
        signature: (Int) throws -> DomainSignature
    ) throws -> Detection {
        try validate(x, source: source)
        let mean = DomainSignature.columnMeans(x.storage, rows: x.rows, dimension: x.cols)
        var distances: [(index: Int, distance: Double)] = []
        for (i, m) in means.enumerated() {
            guard m.count == x.cols else { throw LearningError.dimensionMismatch(source: source, expected: m.count, got: x.cols) }
            var sum = 0.0
            for (a, b) in zip(m, mean) { sum += (Double(a) - Double(b)) * (Double(a) - Double(b)) }
            distances.append((i, sum))
        }
        var chosen = Set(distances.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }.prefix(config.candidates).map(\.index))
        if let declared, let i = names.firstIndex(of: declared) { chosen.insert(i) }
        let tested = chosen.sorted()
        return try detect(x, source: source, against: tested.map { names[$0] }, declared: declared) { try signature(tested[$0]) }
    }

    /// Tests `x` against the domains `names`, reading each one's signature through `signature`
    /// only when its test runs: a batch of signatures at a time is in memory, however many
    /// domains there are.
    /// - Parameter signature: the signature of `names[i]`; what it throws ends the detection.
    public func detect(
        _ x: Matrix, source: String, against names: [String], declared: String? = nil,
        signature: (Int) throws -> DomainSignature
    ) throws -> Detection {
        try validate(x, source: source)
        guard !names.isEmpty else {
            return Detection(decision: .new, nearestDomain: nil, statistic: nil, pValue: nil,
                             significance: config.significance, evidence: [], declaredDomain: declared)
        }
        let d = x.cols
        var xRNG = SeededRNG.derived(seed: config.seed, stream: 1)
        let xs = SeededSubsample.rows(x.storage, rows: x.rows, dimension: d, atMost: config.samplesPerSide, rng: &xRNG)
        var plans: [Int: MMDTest.PermutationPlan] = [:]
        var results: [MMDResult] = []
        let batch = Self.signaturesPerBatch
        var start = 0
        while start < names.count {
            let range = start..<min(names.count, start + batch)
            var references: [(values: [Float], rows: Int)] = []
            for i in range {
                let loaded = try signature(i)
                try check(loaded, of: names[i], against: x, source: source)
                var rng = SeededRNG.derived(seed: config.seed, stream: 2)
                references.append(SeededSubsample.rows(loaded.sampleValues, rows: loaded.sampleCount, dimension: d,
                                                       atMost: config.samplesPerSide, rng: &rng))
            }
            for reference in references where plans[reference.rows] == nil {
                plans[reference.rows] = MMDTest.PermutationPlan(
                    n: xs.rows, m: reference.rows, permutations: config.effectivePermutations,
                    rng: SeededRNG.derived(seed: config.seed, stream: 3))
            }
            results += test(xs.values, rows: xs.rows, dimension: d, against: references, plans: plans)
            start = range.upperBound
        }
        let evidence = zip(names, results).map { name, result in
            DomainEvidence(name: name, statistic: result.statistic, pValue: result.pValue)
        }
        var nearest = 0
        for i in evidence.indices where evidence[i].statistic < evidence[nearest].statistic { nearest = i }
        let best = evidence[nearest]
        return Detection(
            decision: best.pValue >= config.significance ? .known : .new,
            nearestDomain: best.name, statistic: best.statistic, pValue: best.pValue,
            significance: config.significance, evidence: evidence, declaredDomain: declared)
    }

    /// Signatures read and tested together: enough to keep every core busy, few enough that
    /// memory does not grow with the number of domains.
    static let signaturesPerBatch = 32

    /// Checks the new data before any work; every failure is one ``LearningError``.
    private func validate(_ x: Matrix, source: String) throws {
        guard x.rows > 0 else { throw LearningError.emptyDataset(source: source) }
        guard x.rows >= config.minimumSamples else {
            throw LearningError.tooFewSamples(source: source, needed: config.minimumSamples, got: x.rows)
        }
    }

    /// Checks one domain's signature against the new data.
    private func check(_ signature: DomainSignature, of name: String, against x: Matrix, source: String) throws {
        guard signature.dimension == x.cols else {
            throw LearningError.dimensionMismatch(source: source, expected: signature.dimension, got: x.cols)
        }
        guard signature.sampleCount >= config.minimumSamples else {
            throw LearningError.tooFewSamples(
                source: "signature of domain '\(name)'", needed: config.minimumSamples, got: signature.sampleCount)
        }
    }

    /// One MMD test per reference sample, in parallel. Domains with equal sample sizes share one
    /// set of permutations.
    ///
    /// Each test's products run on one OpenBLAS thread, however many domains are tested: two
    /// products running at once on a multithreaded OpenBLAS split their work by what else runs,
    /// and on some CPUs' kernels (Zen) the split changes the last bits of the sums. With one
    /// thread each, a domain's evidence is the same bits whichever other domains are tested.
    private func test(_ xs: [Float], rows: Int, dimension d: Int, against references: [(values: [Float], rows: Int)],
                      plans: [Int: MMDTest.PermutationPlan]) -> [MMDResult] {
        let threads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(threads) }
        var results = [MMDResult?](repeating: nil, count: references.count)
        xs.withUnsafeBufferPointer { xb in
            results.withUnsafeMutableBufferPointer { out in
                Parallel.forEach(references.count) { i in
                    guard let plan = plans[references[i].rows] else { return }
                    out[i] = references[i].values.withUnsafeBufferPointer { yb in
                        MMDTest.evaluate(x: xb, y: yb, dimension: d, plan: plan)
                    }
                }
            }
        }
        // Every size has a plan, so every slot is filled; the fallback only keeps this total.
        return results.map {
            $0 ?? MMDResult(statistic: .infinity, pValue: 0, bandwidth: 0, firstCount: rows, secondCount: 0, permutations: 0)
        }
    }
}
