import GroveNumerics

/// A fully connected layer `y = x Wᵀ + b` over raw buffers, forward and backward side by side.
///
/// Shapes: `x` is `(rows, inputs)`, `W` is `(outputs, inputs)`, `b` is `(outputs)`, `y` is
/// `(rows, outputs)`, all row-major and contiguous.
public enum Linear {
    /// `y = x Wᵀ + b`, then ReLU when `relu` is set.
    @inlinable
    public static func forward(
        x: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        relu: Bool, into y: UnsafeMutablePointer<Float>
    ) {
        BLAS.sgemm(transB: true, m: rows, n: outputs, k: inputs,
                   a: x, lda: inputs, b: weight, ldb: inputs, c: y, ldc: outputs)
        if relu {
            Kernels.addBiasReLU(y, rows: rows, cols: outputs, bias: bias)
        } else {
            Kernels.addBias(y, rows: rows, cols: outputs, bias: bias)
        }
    }

    /// Gradients of `y = x Wᵀ + b` given `dy = dL/dy`:
    /// `dW = dyᵀ x`, `db = Σ_rows dy` (both overwritten), and `dx = dy W` when `dx` is given.
    @inlinable
    public static func backward(
        x: UnsafePointer<Float>, dy: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int,
        weight: UnsafePointer<Float>,
        dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
        dx: UnsafeMutablePointer<Float>?
    ) {
        if rows == 0 {
            dWeight.update(repeating: 0, count: outputs * inputs)
            dBias.update(repeating: 0, count: outputs)
            return
        }
        BLAS.sgemm(transA: true, m: outputs, n: inputs, k: rows,
                   a: dy, lda: outputs, b: x, ldb: inputs, c: dWeight, ldc: inputs)
        Kernels.columnSums(dy, rows: rows, cols: outputs, into: dBias)
        if let dx {
            BLAS.sgemm(m: rows, n: inputs, k: outputs,
                       a: dy, lda: outputs, b: weight, ldb: inputs, c: dx, ldc: inputs)
        }
    }
}
