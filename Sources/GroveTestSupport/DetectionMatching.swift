import GroveLearning

extension Detection {
    /// Whether `other` is the same detection: the same decision, nearest domain, p-values,
    /// significance, declaration and contradiction, with statistics equal up to `tolerance`
    /// (relative, or absolute near 0).
    ///
    /// The statistics are sums of OpenBLAS products, and OpenBLAS splits a product between its
    /// threads by what else runs in the process (tests run side by side); on some CPUs' kernels
    /// (Zen) the split changes the last bits of the sums. Decisions and p-values do not move.
    public func matches(_ other: Detection, tolerance: Double = 1e-6) -> Bool {
        func close(_ a: Double?, _ b: Double?) -> Bool {
            guard let a, let b else { return a == nil && b == nil }
            return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
        }
        return decision == other.decision && nearestDomain == other.nearestDomain && pValue == other.pValue
            && significance == other.significance && declaredDomain == other.declaredDomain
            && contradiction == other.contradiction && close(statistic, other.statistic)
            && evidence.count == other.evidence.count
            && zip(evidence, other.evidence).allSatisfy { $0.name == $1.name && $0.pValue == $1.pValue && close($0.statistic, $1.statistic) }
    }
}
