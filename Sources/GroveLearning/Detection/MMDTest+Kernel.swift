import GroveNumerics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Permutations

extension MMDTest {
    /// The split of a pooled sample of `n + m` rows into the observed one and `P` permutations,
    /// as an `(n+m) x (P+1)` row-major 0/1 matrix: `indicator[i, b] == 1` when pooled row `i`
    /// is on the first side in split `b`. Column 0 is the observed split (the first `n` rows).
    ///
    /// One plan serves every test with the same sizes, so a detection against many domains of
    /// equal signature size draws its permutations once.
    struct PermutationPlan: Sendable {
        let n: Int
        let m: Int
        /// `permutations + 1`.
        let columns: Int
        let indicator: [Float]

        init(n: Int, m: Int, permutations: Int, rng: SeededRNG) {
            let total = n + m, columns = permutations + 1
            var indicator = [Float](repeating: 0, count: total * columns)
            for i in 0 ..< n { indicator[i * columns] = 1 }
            var order = Array(0 ..< total)
            var rng = rng
            for b in 1 ..< columns {
                // Partial Fisher–Yates: the first n positions become a uniform n-subset.
                for i in 0 ..< n {
                    let j = i + Int(UInt64(total - i).multipliedFullWidth(by: rng.next()).high)
                    order.swapAt(i, j)
                    indicator[order[i] * columns + b] = 1
                }
            }
            self.n = n
            self.m = m
            self.columns = columns
            self.indicator = indicator
        }
    }
}

// MARK: - Statistic and null distribution

extension MMDTest {
    /// The unbiased MMD², bandwidth and permutation p-value of two packed row-major samples.
    /// - Precondition: `plan.n` rows in `x`, `plan.m` rows in `y`, both at least 2.
    static func evaluate(x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>, dimension d: Int, plan: PermutationPlan) -> MMDResult {
        let n = plan.n, m = plan.m, total = n + m, columns = plan.columns
        precondition(n >= minimumSamples && m >= minimumSamples && x.count == n * d && y.count == m * d)
        var pooled = [Float](x)
        pooled.append(contentsOf: y)

        // K = Z Zᵀ first (its upper triangle), then squared distances, then the kernel with a zero diagonal.
        var kernel = [Float](repeating: 0, count: total * total)
        if d > 0 {
            pooled.withUnsafeBufferPointer { z in
                kernel.withUnsafeMutableBufferPointer { g in
                    guard let zb = z.baseAddress, let gb = g.baseAddress else { return }
                    BLAS.gramUpper(n: total, k: d, a: zb, lda: d, c: gb, ldc: total)
                }
            }
        }
        let sigmaSquared = squaredDistances(&kernel, count: total)
        let gamma = Float(1 / (2 * sigmaSquared))
        var rowTotals = [Double](repeating: 0, count: total)
        kernel.withUnsafeMutableBufferPointer { k in
            for i in 0 ..< total {
                let row = i * total
                for j in 0 ..< total { k[row + j] = expf(-gamma * k[row + j]) }
                k[row + i] = 0
                var sum: Float = 0
                for j in 0 ..< total { sum += k[row + j] }
                rowTotals[i] = Double(sum)
            }
        }

        // R = K U: column b of R holds, for every pooled row, its kernel sum over side one of split b.
        var reduced = [Float](repeating: 0, count: total * columns)
        kernel.withUnsafeBufferPointer { k in
            plan.indicator.withUnsafeBufferPointer { u in
                reduced.withUnsafeMutableBufferPointer { r in
                    guard let kb = k.baseAddress, let ub = u.baseAddress, let rb = r.baseAddress else { return }
                    BLAS.sgemm(m: total, n: columns, k: total, a: kb, lda: total, b: ub, ldb: columns, c: rb, ldc: columns)
                }
            }
        }
        var sumXX = [Double](repeating: 0, count: columns)
        var sumYY = [Double](repeating: 0, count: columns)
        reduced.withUnsafeBufferPointer { r in
            plan.indicator.withUnsafeBufferPointer { u in
                for i in 0 ..< total {
                    let base = i * columns, t = rowTotals[i]
                    for b in 0 ..< columns {
                        let s = Double(r[base + b])
                        if u[base + b] != 0 { sumXX[b] += s } else { sumYY[b] += t - s }
                    }
                }
            }
        }
        let grand = rowTotals.reduce(0, +)
        let nn = Double(n * (n - 1)), mm = Double(m * (m - 1)), nm = Double(n * m)
        func statistic(_ b: Int) -> Double {
            sumXX[b] / nn + sumYY[b] / mm - (grand - sumXX[b] - sumYY[b]) / nm
        }
        let observed = statistic(0)
        var atLeast = 0
        for b in 1 ..< columns where statistic(b) >= observed { atLeast += 1 }
        return MMDResult(
            statistic: observed, pValue: Double(1 + atLeast) / Double(columns),
            bandwidth: sigmaSquared.squareRoot(), firstCount: n, secondCount: m, permutations: columns - 1)
    }

    /// Turns a Gram matrix `G = Z Zᵀ`, of which it reads the upper triangle, into squared distances `‖zᵢ‖² + ‖zⱼ‖² − 2Gᵢⱼ` (clamped at
    /// 0) in place and returns the median-heuristic σ²: the median of the `N(N−1)/2` pairwise
    /// squared distances (the upper median for an even count). When that median is 0 (more than
    /// half the pairs are duplicates) it falls back to their mean, and to 1 when all are 0.
    static func squaredDistances(_ g: inout [Float], count total: Int) -> Double {
        var pairs = [Float](repeating: 0, count: total * (total - 1) / 2)
        var mean = 0.0
        g.withUnsafeMutableBufferPointer { g in
            pairs.withUnsafeMutableBufferPointer { pairs in
                var norms = [Float](repeating: 0, count: total)
                for i in 0 ..< total { norms[i] = g[i * total + i] }
                var next = 0
                for i in 0 ..< total {
                    g[i * total + i] = 0
                    for j in (i + 1) ..< total {
                        let v = max(0, norms[i] + norms[j] - 2 * g[i * total + j])
                        g[i * total + j] = v
                        g[j * total + i] = v
                        pairs[next] = v
                        mean += Double(v)
                        next += 1
                    }
                }
            }
        }
        let median = Double(pairs.withUnsafeMutableBufferPointer { select($0, rank: $0.count / 2) })
        if median > 0 { return median }
        mean /= Double(max(1, pairs.count))
        return mean > 0 ? mean : 1
    }

    /// The element of rank `rank` (0-based) of `values`, which it reorders: Hoare's quickselect
    /// with a median-of-three pivot, expected O(count).
    static func select(_ values: UnsafeMutableBufferPointer<Float>, rank: Int) -> Float {
        var lo = 0, hi = values.count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if values[mid] < values[lo] { values.swapAt(mid, lo) }
            if values[hi] < values[lo] { values.swapAt(hi, lo) }
            if values[hi] < values[mid] { values.swapAt(hi, mid) }
            let pivot = values[mid]
            var i = lo, j = hi
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j { hi = j } else if rank >= i { lo = i } else { return values[rank] }
        }
        return values[rank]
    }
}
