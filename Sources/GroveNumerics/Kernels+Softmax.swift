#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Softmax, log-sum-exp and cross-entropy

extension Kernels {
    /// Row-wise softmax in place over a `rows x cols` buffer, stable (max subtracted).
    /// If `logSumExp` is given, it receives each row's `log(sum(exp(x)))` of the input.
    @inlinable
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, logSumExp: UnsafeMutablePointer<Float>? = nil) {
        for r in 0..<rows {
            let row = x + r * cols
            var m = -Float.infinity
            for c in 0..<cols where row[c] > m { m = row[c] }
            var s: Float = 0
            for c in 0..<cols {
                let e = expf(row[c] - m)
                row[c] = e
                s += e
            }
            let inv = 1 / s
            for c in 0..<cols { row[c] *= inv }
            logSumExp?[r] = m + logf(s)
        }
    }

    /// Softmax backward for one row: given `p = softmax(z)` and `g = dL/dp`, writes
    /// `dL/dz = p * (g - <g, p>)` into `g` in place.
    @inlinable
    public static func softmaxBackwardRow(probabilities p: UnsafePointer<Float>, gradient g: UnsafeMutablePointer<Float>, count: Int) {
        var dot: Float = 0
        for c in 0..<count { dot += g[c] * p[c] }
        for c in 0..<count { g[c] = p[c] * (g[c] - dot) }
    }

    /// Mean cross-entropy of row-wise softmax logits against integer labels, and its gradient.
    ///
    /// Writes `dL/dlogits = (softmax(logits) - onehot(y)) / rows` into `gradient` (which may
    /// alias nothing else) and returns the mean loss `-log softmax(logits)[y]`.
    @inlinable
    public static func softmaxCrossEntropy(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, rows: Int, cols: Int,
        gradient: UnsafeMutablePointer<Float>
    ) -> Float {
        gradient.update(from: logits, count: rows * cols)
        var total: Float = 0
        let invRows = 1 / Float(rows)
        for r in 0..<rows {
            let g = gradient + r * cols
            var lse: Float = 0
            softmaxRows(g, rows: 1, cols: cols, logSumExp: &lse)
            let y = Int(labels[r])
            total += lse - logits[r * cols + y]
            g[y] -= 1
            for c in 0..<cols { g[c] *= invRows }
        }
        return total * invRows
    }
}
