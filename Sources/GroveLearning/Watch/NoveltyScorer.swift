import GroveNumerics

/// Scores how unlike every known domain an input row is: the smallest, over the domains, of the
/// row's squared distance to the domain's mean with each feature scaled by the domain's
/// variance of it (a diagonal Mahalanobis distance), divided by the domain's ``DomainProfile/spread``.
/// A row of a known domain scores about 1; a row with ink where a domain's rows never have
/// any, or none where they always do, scores far higher.
///
/// Every row's distances to every domain come from two matrix products,
/// `Σ (x − μ)²/v = Σ x²/v − 2 Σ x μ/v + Σ μ²/v`, so a row costs `2 D × domains` multiply-adds.
public struct NoveltyScorer: Sendable {
    /// The domains' names, in the order of ``nearest(_:)``'s indices.
    public let names: [String]
    /// Features per row.
    public let dimension: Int
    /// `1/v`, `domains x D`.
    private let inverseVariances: [Float]
    /// `μ/v`, `domains x D`.
    private let scaledMeans: [Float]
    /// `Σ μ²/v` per domain.
    private let offsets: [Float]
    private let spreads: [Float]

    /// A scorer against `domains` (at least one, all of dimension `D`).
    public init(domains: [DomainProfile]) {
        names = domains.map(\.name)
        dimension = domains.first?.mean.count ?? 0
        inverseVariances = domains.flatMap { $0.variance.map { 1 / $0 } }
        scaledMeans = domains.flatMap { d in zip(d.mean, d.variance).map { $0 / $1 } }
        offsets = domains.map { d in zip(d.mean, d.variance).reduce(0) { $0 + $1.0 * $1.0 / $1.1 } }
        spreads = domains.map { Float($0.spread) }
    }

    /// Each row's novelty score and the index of its nearest domain (by score). Scores are
    /// finite: a row whose distances overflow `Float` scores `Float.greatestFiniteMagnitude`.
    /// - Precondition: `x.cols == dimension` and at least one domain.
    public func nearest(_ x: Matrix) -> [(domain: Int, score: Float)] {
        precondition(x.cols == dimension && !names.isEmpty, "novelty needs rows of the domains' width")
        let k = names.count, n = x.rows, d = dimension
        if n <= Self.directRows {
            // A prediction's few rows: one pass per domain, no scratch matrices (the products'
            // allocations and calls cost more than the arithmetic).
            return x.storage.withUnsafeBufferPointer { xb in
                inverseVariances.withUnsafeBufferPointer { vb in
                    scaledMeans.withUnsafeBufferPointer { mb in
                        (0..<n).map { row in
                            var best = (domain: 0, score: Float.infinity)
                            guard let x = xb.baseAddress, let v = vb.baseAddress, let m = mb.baseAddress else { return best }
                            for domain in 0..<k {
                                let sum = Self.scaledDistance(x + row * d, inverseVariances: v + domain * d, scaledMeans: m + domain * d, count: d)
                                let score = self.score(raw: sum + offsets[domain], domain: domain)
                                if score < best.score { best = (domain, score) }
                            }
                            return best
                        }
                    }
                }
            }
        }
        var squares = [Float](repeating: 0, count: n * d)
        var weighted = [Float](repeating: 0, count: n * k)
        var crossed = [Float](repeating: 0, count: n * k)
        x.storage.withUnsafeBufferPointer { xb in
            squares.withUnsafeMutableBufferPointer { sb in
                for i in 0..<(n * d) { sb[i] = xb[i] * xb[i] }
            }
        }
        squares.withUnsafeBufferPointer { sb in
            inverseVariances.withUnsafeBufferPointer { vb in
                weighted.withUnsafeMutableBufferPointer { wb in
                    guard let s = sb.baseAddress, let v = vb.baseAddress, let w = wb.baseAddress else { return }
                    BLAS.sgemm(transB: true, m: n, n: k, k: d, a: s, lda: d, b: v, ldb: d, c: w, ldc: k)
                }
            }
        }
        x.storage.withUnsafeBufferPointer { xb in
            scaledMeans.withUnsafeBufferPointer { mb in
                crossed.withUnsafeMutableBufferPointer { cb in
                    guard let xp = xb.baseAddress, let m = mb.baseAddress, let c = cb.baseAddress else { return }
                    BLAS.sgemm(transB: true, m: n, n: k, k: d, a: xp, lda: d, b: m, ldb: d, c: c, ldc: k)
                }
            }
        }
        return (0..<n).map { row in
            var best = (domain: 0, score: Float.infinity)
            for domain in 0..<k {
                let score = score(raw: weighted[row * k + domain] - 2 * crossed[row * k + domain] + offsets[domain], domain: domain)
                if score < best.score { best = (domain, score) }
            }
            return best
        }
    }

    /// Batches of at most this many rows are scored in one pass per domain, larger ones with
    /// two matrix products.
    static let directRows = 4

    /// `Σ x (x/v − 2 μ/v)` over `count` features, eight lanes at a time in four independent
    /// sums (a single running sum would wait on each addition), then the tail.
    private static func scaledDistance(_ x: UnsafePointer<Float>, inverseVariances v: UnsafePointer<Float>,
                                       scaledMeans m: UnsafePointer<Float>, count: Int) -> Float {
        typealias Lanes = SIMD8<Float>
        func term(_ at: Int) -> Lanes {
            let value = UnsafeRawPointer(x + at).loadUnaligned(as: Lanes.self)
            let inverse = UnsafeRawPointer(v + at).loadUnaligned(as: Lanes.self)
            let mean = UnsafeRawPointer(m + at).loadUnaligned(as: Lanes.self)
            return value * (value * inverse - 2 * mean)
        }
        var sums = (Lanes.zero, Lanes.zero, Lanes.zero, Lanes.zero)
        var f = 0
        while f + 32 <= count {
            sums.0 += term(f)
            sums.1 += term(f + 8)
            sums.2 += term(f + 16)
            sums.3 += term(f + 24)
            f += 32
        }
        while f + 8 <= count {
            sums.0 += term(f)
            f += 8
        }
        var total = ((sums.0 + sums.1) + (sums.2 + sums.3)).sum()
        while f < count {
            total += x[f] * (x[f] * v[f] - 2 * m[f])
            f += 1
        }
        return total
    }

    /// The score of a row whose distance to `domain` is `raw`. A row of huge values overflows
    /// Float (∞ − ∞ is NaN): it is as far as can be.
    private func score(raw: Float, domain: Int) -> Float {
        raw.isNaN ? Float.greatestFiniteMagnitude : min(max(0, raw) / spreads[domain], .greatestFiniteMagnitude)
    }

    /// Each row's novelty score.
    public func scores(_ x: Matrix) -> [Float] {
        nearest(x).map(\.score)
    }
}
