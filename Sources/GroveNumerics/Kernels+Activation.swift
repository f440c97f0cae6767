/// Fused element-wise kernels over contiguous row-major buffers.
///
/// Each forward kernel has its backward beside it. They allocate nothing and are written as
/// plain loops over unsafe pointers so that the optimiser vectorises them.
public enum Kernels {}

// MARK: - Bias and ReLU

extension Kernels {
    /// `y[r, c] = max(0, y[r, c] + bias[c])` in place over a `rows x cols` buffer.
    @inlinable
    public static func addBiasReLU(_ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, bias: UnsafePointer<Float>) {
        for r in 0..<rows {
            let row = y + r * cols
            for c in 0..<cols {
                let v = row[c] + bias[c]
                row[c] = v > 0 ? v : 0
            }
        }
    }

    /// `y[r, c] += bias[c]` in place over a `rows x cols` buffer.
    @inlinable
    public static func addBias(_ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, bias: UnsafePointer<Float>) {
        for r in 0..<rows {
            let row = y + r * cols
            for c in 0..<cols { row[c] += bias[c] }
        }
    }

    /// ReLU backward in place: `grad[i] = activation[i] > 0 ? grad[i] : 0`, where `activation`
    /// is the ReLU output of the forward pass.
    @inlinable
    public static func reluBackward(_ grad: UnsafeMutablePointer<Float>, activation: UnsafePointer<Float>, count: Int) {
        for i in 0..<count where !(activation[i] > 0) { grad[i] = 0 }
    }

    /// `out[c] = sum over r of x[r, c]` (with `accumulate`, `out[c] += ...`): the bias gradient.
    @inlinable
    public static func columnSums(_ x: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        if !accumulate { out.update(repeating: 0, count: cols) }
        for r in 0..<rows {
            let row = x + r * cols
            for c in 0..<cols { out[c] += row[c] }
        }
    }

    /// `y[i] *= alpha` for `count` elements.
    @inlinable
    public static func scale(_ y: UnsafeMutablePointer<Float>, count: Int, by alpha: Float) {
        for i in 0..<count { y[i] *= alpha }
    }
}
