/// Continual-learning summaries of an accuracy matrix.
///
/// `accuracy[i][j]` is the accuracy on domain `j`'s held-out data after learning phase `i`
/// (rows are phases `0...T`, columns domains), `nil` where it was not measured. Domain `j` is
/// learned at phase `learnedAt[j]`; by default `learnedAt[j] = j`, the papers' layout of one
/// new domain per phase where only `j ≤ i` is defined. Grove passes `learnedAt` explicitly
/// because a phase may bring more data of a known domain.
///
/// With `l_j = learnedAt[j]` and the *old* domains `O = {j : l_j < T}`:
///
/// - **Average accuracy** (Chaudhry et al. 2018, "Riemannian Walk for Incremental Learning",
///   eq. 1; Lopez-Paz & Ranzato 2017 "ACC"): `A_T = 1/|S| Σ_{j∈S} a[T][j]` over the domains
///   seen so far, `S = {j : l_j ≤ T}`.
/// - **Average forgetting** (Chaudhry et al. 2018, eq. 2–3):
///   `f_j = max_{l ∈ l_j..<T} a[l][j] − a[T][j]`, `F_T = 1/|O| Σ_{j∈O} f_j`; 0 when `O` is
///   empty (T = 0). A domain that improved after learning has a negative `f_j`; it is not
///   clipped.
/// - **Backward transfer** (Lopez-Paz & Ranzato 2017, "Gradient Episodic Memory for Continual
///   Learning", eq. 3): `BWT = 1/|O| Σ_{j∈O} (a[T][j] − a[l_j][j])`; 0 when `O` is empty.
///   Negative values are forgetting.
/// - **Forward transfer** (Lopez-Paz & Ranzato 2017, eq. 4):
///   `FWT = 1/|P| Σ_{j∈P} (a[l_j − 1][j] − b_j)` over the domains `P` with `l_j ≥ 1` whose
///   zero-shot accuracy `a[l_j − 1][j]` (the model just before learning `j`) and baseline
///   `b_j` (a randomly initialised model's accuracy) are both given; `nil` when `P` is empty.
///
/// Entries that are `nil` are left out of every mean (a domain without `a[T][j]` counts in no
/// summary; a missing `a[l][j]` is skipped in the forgetting maximum).
///
/// ```swift
/// let metrics = ContinualMetrics(accuracy: [[0.9, nil], [0.8, 0.7]])
/// // averageAccuracy 0.75, averageForgetting 0.1, backwardTransfer −0.1
/// ```
public struct ContinualMetrics: Sendable, Codable, Equatable {
    /// The last phase, T (rows − 1).
    public var lastPhase: Int
    /// Mean accuracy after phase T over the domains seen so far.
    public var averageAccuracy: Double
    /// Mean forgetting of the domains learned before phase T (Chaudhry et al. 2018).
    public var averageForgetting: Double
    /// Mean change of the old domains' accuracy since they were learned (Lopez-Paz & Ranzato).
    public var backwardTransfer: Double
    /// Mean zero-shot gain over the baselines, where defined (Lopez-Paz & Ranzato).
    public var forwardTransfer: Double?
    /// `f_j` per domain, `nil` for domains learned at phase T or without `a[T][j]`.
    public var forgetting: [Double?]

    /// Computes the summaries of an accuracy matrix.
    /// - Parameters:
    ///   - accuracy: `a[i][j]`, rows are phases, columns domains; rows may be shorter than the
    ///     number of domains (missing entries are `nil`).
    ///   - learnedAt: the phase each domain was first learned at; `nil` means `j`.
    ///   - zeroShotBaselines: `b_j` per domain for forward transfer, `nil` to skip it.
    /// - Returns: `nil` when there is no phase, no seen domain has an accuracy after phase T,
    ///   a row is longer than `learnedAt`, or `learnedAt` holds a negative phase. Domains
    ///   learned after T are not yet seen and count in no summary.
    public init?(accuracy: [[Double?]], learnedAt: [Int]? = nil, zeroShotBaselines: [Double?]? = nil) {
        guard !accuracy.isEmpty else { return nil }
        let t = accuracy.count - 1
        let domains = learnedAt?.count ?? accuracy.map(\.count).max() ?? 0
        let learned = learnedAt ?? Array(0 ..< domains)
        guard learned.allSatisfy({ $0 >= 0 }), accuracy.allSatisfy({ $0.count <= domains }) else { return nil }
        func a(_ i: Int, _ j: Int) -> Double? {
            j < accuracy[i].count ? accuracy[i][j] : nil
        }
        let seen = (0 ..< domains).filter { learned[$0] <= t }.compactMap { a(t, $0) }
        guard !seen.isEmpty else { return nil }

        var forgetting = [Double?](repeating: nil, count: domains)
        var transfers: [Double] = []
        var forward: [Double] = []
        for j in 0 ..< domains {
            let l = learned[j]
            if l < t, let final = a(t, j) {
                let best = (l ..< t).compactMap { a($0, j) }.max()
                forgetting[j] = best.map { $0 - final }
                if let atLearning = a(l, j) { transfers.append(final - atLearning) }
            }
            if l >= 1, l <= t, let zeroShot = a(l - 1, j),
               let baselines = zeroShotBaselines, j < baselines.count, let b = baselines[j] {
                forward.append(zeroShot - b)
            }
        }
        let forgotten = forgetting.compactMap { $0 }
        self.lastPhase = t
        self.averageAccuracy = Self.mean(seen) ?? 0
        self.averageForgetting = Self.mean(forgotten) ?? 0
        self.backwardTransfer = Self.mean(transfers) ?? 0
        self.forwardTransfer = Self.mean(forward)
        self.forgetting = forgetting
    }

    private static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
