// MARK: - Row gather, scatter-add and top-k

extension Kernels {
    /// `out[i, :] = x[indices[i], :]` for each of `indices.count` rows of width `cols`.
    @inlinable
    public static func gatherRows(_ x: UnsafePointer<Float>, cols: Int, indices: UnsafeBufferPointer<Int32>, into out: UnsafeMutablePointer<Float>) {
        for (i, src) in indices.enumerated() {
            (out + i * cols).update(from: x + Int(src) * cols, count: cols)
        }
    }

    /// `out[indices[i], :] += scale[i] * x[i, :]` (scale 1 when `scale` is nil).
    @inlinable
    public static func scatterAddRows(_ x: UnsafePointer<Float>, cols: Int, indices: UnsafeBufferPointer<Int32>, scale: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>) {
        for (i, dst) in indices.enumerated() {
            let o = out + Int(dst) * cols
            let s = x + i * cols
            let a = scale?[i] ?? 1
            for c in 0..<cols { o[c] += a * s[c] }
        }
    }

    /// The indices of the `k` largest entries of each row of a `rows x cols` buffer, largest
    /// first; ties go to the lower index. Writes `rows * k` indices row after row.
    /// - Complexity: O(rows * cols * k); meant for small `cols` (the number of experts).
    @inlinable
    public static func topK(_ x: UnsafePointer<Float>, rows: Int, cols: Int, k: Int, into out: UnsafeMutablePointer<Int32>) {
        precondition(k >= 1 && k <= cols, "topK: k = \(k) must lie in 1...\(cols)")
        for r in 0..<rows {
            let row = x + r * cols
            let dst = out + r * k
            for j in 0..<k {
                var best = -1
                var bestValue = -Float.infinity
                for c in 0..<cols {
                    var taken = false
                    for t in 0..<j where Int(dst[t]) == c { taken = true; break }
                    if !taken && (best < 0 || row[c] > bestValue) {
                        best = c
                        bestValue = row[c]
                    }
                }
                dst[j] = Int32(best)
            }
        }
    }
}
