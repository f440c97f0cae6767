import GroveNumerics

/// Tests a window of recent prediction inputs against the known domains with the detector's
/// MMD test (``MMDTest``).
///
/// Live traffic mixes domains, so a window rarely comes from one domain alone, and testing it
/// against each domain separately would call every mixed window new. Instead each window row
/// is assigned to its nearest domain (``NoveltyScorer``), and the window is tested against a
/// reference drawn from the domains' signatures in the same proportions. A window of known
/// domains, in any mix, then matches its reference; rows from an unseen distribution are
/// assigned somewhere but do not look like that domain's rows, and the test says so.
public struct WindowTest: Sendable, Equatable {
    /// Windows whose p-value is below this do not fit the known domains.
    public var alpha: Double
    /// Rows of the reference sample drawn from the domains' signatures.
    public var referenceRows: Int
    /// Permutations of the MMD test's null distribution.
    public var permutations: Int

    /// A test at level `alpha` with `permutations` permutations and a reference of
    /// `referenceRows` rows.
    public init(alpha: Double = 0.01, referenceRows: Int = 256, permutations: Int = 200) {
        self.alpha = alpha
        self.referenceRows = max(MMDTest.minimumSamples, referenceRows)
        self.permutations = permutations
    }

    /// Tests `window` (rows are inputs) against the domains `scorer` knows.
    /// - Parameters:
    ///   - samples: a domain's signature rows by its index in ``NoveltyScorer/names``; asked
    ///     only for the domains some window row is nearest to.
    ///   - seed: the seed of the reference draw and of the permutations; a watch passes a
    ///     fresh one for each window.
    /// - Throws: ``LearningError/dimensionMismatch(source:expected:got:)`` or
    ///   ``LearningError/tooFewSamples(source:needed:got:)`` from the MMD test, or what
    ///   `samples` throws.
    public func run(_ window: Matrix, scorer: NoveltyScorer, samples: (Int) throws -> Matrix, seed: UInt64) throws -> WindowVerdict {
        let nearest = scorer.nearest(window)
        var counts = [Int](repeating: 0, count: scorer.names.count)
        for row in nearest { counts[row.domain] += 1 }
        let reference = try referenceSample(samples: samples, counts: counts, dimension: window.cols, seed: seed)
        let result = try MMDTest(maxSamples: max(window.rows, referenceRows), permutations: permutations, seed: seed)
            .run(window, reference, source: "prediction window")
        // Rows whose distances overflow Float leave the statistic undefined; they are like no
        // known domain's rows.
        let defined = result.statistic.isFinite && result.pValue.isFinite
        let statistic = defined ? result.statistic : .greatestFiniteMagnitude, pValue = defined ? result.pValue : 0
        let scores = nearest.map(\.score).sorted()
        let shares = Dictionary(uniqueKeysWithValues: zip(scorer.names, counts).filter { $0.1 > 0 }
            .map { ($0.0, Double($0.1) / Double(window.rows)) })
        let top = zip(scorer.names, counts).max { $0.1 < $1.1 }?.0
        return WindowVerdict(rows: window.rows, statistic: statistic, pValue: pValue, fits: pValue >= alpha,
                             nearestDomain: top, shares: shares, medianNovelty: Double(scores[scores.count / 2]))
    }

    /// Up to `referenceRows` rows of the domains' signatures, each domain's share proportional
    /// to its count (largest remainders), each drawn without replacement from a seeded shuffle
    /// of its rows. A domain with fewer rows than its share gives all it has: a repeated row
    /// would look to the test like a sample more alike than any real one.
    private func referenceSample(samples: (Int) throws -> Matrix, counts: [Int], dimension: Int, seed: UInt64) throws -> Matrix {
        let total = max(1, counts.reduce(0, +))
        let exact = counts.map { Double($0) * Double(referenceRows) / Double(total) }
        var take = exact.map { Int($0) }
        let byRemainder = exact.indices.sorted { exact[$0] - Double(take[$0]) > exact[$1] - Double(take[$1]) }
        for index in byRemainder.prefix(referenceRows - take.reduce(0, +)) { take[index] += 1 }
        var values: [Float] = []
        values.reserveCapacity(referenceRows * dimension)
        var drawn = 0
        for d in counts.indices where take[d] > 0 {
            let rows = try samples(d)
            guard rows.cols == dimension, rows.rows > 0 else {
                throw LearningError.dimensionMismatch(source: "signature of domain \(d)", expected: dimension, got: rows.cols)
            }
            var rng = SeededRNG.derived(seed: seed, stream: 0x5EED_0000 &+ UInt64(d))
            let order = SeededSubsample.permutation(count: rows.rows, rng: &rng)
            let count = min(take[d], order.count)
            rows.storage.withUnsafeBufferPointer { source in
                for row in order.prefix(count) {
                    values.append(contentsOf: source[(row * dimension)..<((row + 1) * dimension)])
                }
            }
            drawn += count
        }
        return Matrix(rows: drawn, cols: dimension, storage: values)
    }
}

/// What one window test found.
public struct WindowVerdict: Sendable, Codable, Equatable {
    /// Rows in the window.
    public var rows: Int
    /// The MMD² statistic of the window against its reference.
    public var statistic: Double
    /// Its permutation p-value.
    public var pValue: Double
    /// Whether the window fits the known domains (`pValue ≥ alpha`).
    public var fits: Bool
    /// The domain most of the window's rows are nearest to.
    public var nearestDomain: String?
    /// The share of the window's rows nearest to each domain (domains with none left out).
    public var shares: [String: Double]
    /// The median novelty score of the window's rows.
    public var medianNovelty: Double

    /// A verdict from its parts.
    public init(rows: Int, statistic: Double, pValue: Double, fits: Bool, nearestDomain: String?, shares: [String: Double],
                medianNovelty: Double) {
        self.rows = rows
        self.statistic = statistic
        self.pValue = pValue
        self.fits = fits
        self.nearestDomain = nearestDomain
        self.shares = shares
        self.medianNovelty = medianNovelty
    }
}
