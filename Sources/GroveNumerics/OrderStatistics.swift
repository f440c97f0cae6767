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
}
