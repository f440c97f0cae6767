import Foundation

/// Order statistics of timing samples, for benchmarks.
extension Array where Element == Double {
    /// The median (mean of the middle pair for even counts); 0 for an empty array.
    public var median: Double {
        guard !isEmpty else { return 0 }
        let s = sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The `q`-quantile (`q` in 0...1): the sorted values' element at index `⌊q (n − 1)⌋`.
    public func quantile(_ q: Double) -> Double {
        guard !isEmpty else { return 0 }
        precondition((0...1).contains(q), "a quantile lies in 0...1")
        let s = sorted()
        return s[Int(q * Double(s.count - 1))]
    }

    /// An interval that holds the median of the population these values were drawn from with
    /// at least `confidence`, whatever its distribution: from the sorted values' `(j + 1)`-th
    /// smallest to their `(j + 1)`-th largest, for the largest `j` whose chance of missing it
    /// on one side, `P(Binomial(n, ½) ≤ j)`, stays within `(1 − confidence) / 2`. With too few
    /// values for that, the whole range. `0...0` for an empty array.
    public func medianInterval(confidence: Double = 0.95) -> ClosedRange<Double> {
        guard !isEmpty else { return 0...0 }
        let s = sorted()
        let n = s.count
        let tail = (1 - confidence) / 2
        var j = 0
        var term = pow(0.5, Double(n)) // P(Binomial(n, ½) = j)
        var cumulative = term // P(Binomial(n, ½) ≤ j)
        while j + 1 < n - 1 - j {
            let next = term * Double(n - j) / Double(j + 1)
            guard cumulative + next <= tail else { break }
            j += 1
            term = next
            cumulative += next
        }
        return s[j]...s[n - 1 - j]
    }
}
