/// Settings of the ``DriftDetector``.
///
/// The defaults follow alibi-detect's `MMDDrift` usage: a bounded sample of 256 rows a side,
/// 200 permutations, and a strict α = 0.01 because a false `new` costs a whole new expert
/// while a missed shift is caught by the next dataset.
public struct DriftDetectorConfig: Sendable, Codable, Equatable {
    /// The bound on the rows of the new data and of each signature used in one test.
    public var samplesPerSide: Int
    /// Permutations behind each p-value; see ``effectivePermutations``.
    public var permutations: Int
    /// The significance level α: `known` needs the nearest domain's p-value to be at least α.
    public var significance: Double
    /// The fewest rows the new data and every signature must have.
    public var minimumSamples: Int
    /// Seed of the subsample of the new data and of the permutations.
    public var seed: UInt64
    /// Known domains tested: the new data's mean is compared with every domain's mean, and only
    /// the domains with the nearest means (plus a declared one) get the permutation test, so a
    /// detection costs the same with a thousand domains as with this many.
    public var candidates: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - samplesPerSide: rows per side (default 256, at least 2).
    ///   - permutations: permutations (default 200).
    ///   - significance: α in (0, 1) (default 0.01).
    ///   - minimumSamples: the fewest rows a side may have (default 8, at least 2).
    ///   - seed: the seed (default 0).
    ///   - candidates: domains tested, nearest means first (default 16, at least 1).
    public init(samplesPerSide: Int = 256, permutations: Int = 200, significance: Double = 0.01, minimumSamples: Int = 8, seed: UInt64 = 0,
                candidates: Int = 16) {
        self.samplesPerSide = max(MMDTest.minimumSamples, samplesPerSide)
        self.permutations = max(0, permutations)
        self.significance = significance
        self.minimumSamples = max(MMDTest.minimumSamples, minimumSamples)
        self.seed = seed
        self.candidates = max(1, candidates)
    }

    /// The permutations a test runs: `permutations`, raised when needed so that the smallest
    /// p-value it can give, 1 / (permutations + 1), is below α. With fewer, no dataset could
    /// ever be found `new` (50 permutations at α = 0.01 give p ≥ 0.0196). The raise stops at
    /// ``maximumPermutations``: a smaller α is not reachable by a permutation test this size.
    public var effectivePermutations: Int {
        guard significance > 0, significance < 1 else { return permutations }
        let needed = min((1 / significance).rounded(.up), Double(Self.maximumPermutations))
        return max(permutations, Int(needed))
    }

    /// The most permutations ``effectivePermutations`` raises a test to.
    public static let maximumPermutations = 100_000
}
