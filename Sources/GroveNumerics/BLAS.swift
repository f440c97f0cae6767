import COpenBLAS

/// The small Swift face of OpenBLAS: single-precision GEMM and the thread count.
///
/// All matrices are row-major. `sgemm` computes `C = alpha * op(A) * op(B) + beta * C` where
/// `op(A)` is `m x k`, `op(B)` is `k x n` and `C` is `m x n`; leading dimensions are the row
/// strides of the matrices as stored (before transposition).
public enum BLAS {
    /// Sets how many threads OpenBLAS uses for one call. Grove's MoE step runs experts in
    /// parallel itself and asks for one thread; large single products use all cores.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses for one call; it changes as Grove switches
    /// between parallel experts (one thread each) and single large products.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The threads Grove gives OpenBLAS for a large single product: every core it uses. This is
    /// the figure `grove bench`, the daemon's start log and `/v1/status` report, since
    /// ``threads`` depends on what runs at the moment.
    public static var productThreads: Int { Parallel.workerCount }

    /// The CPU kernels OpenBLAS chose at load time (`Haswell`, `SkylakeX`, `Zen`, …; `Prescott`
    /// is its generic fallback for a CPU it does not recognise, several times slower).
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Who chose ``coreName``: OpenBLAS's detection, Grove (from `cpuid`, see
    /// ``BLASCoreChoice``) or the user's `OPENBLAS_CORETYPE`.
    public static var coreSource: BLASCoreSource { BLASCoreEnvironment.current.source(reported: coreName) }

    /// OpenBLAS's build configuration (`OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH … Haswell …`).
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "" }
        return String(cString: config)
    }

    /// The OpenBLAS release linked in, when its configuration names one.
    public static var version: OpenBLASVersion? { OpenBLASVersion(configuration: configuration) }

    /// `C = alpha * op(A) * op(B) + beta * C` over raw row-major buffers; a single row of C
    /// (`m == 1`) is computed as a matrix-vector product.
    /// - Parameters:
    ///   - transA: use `Aᵀ` (A is stored `k x m`).
    ///   - transB: use `Bᵀ` (B is stored `n x k`).
    @inlinable
    public static func sgemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if m == 1, k > 0 {
            // One row times a matrix is a matrix-vector product: OpenBLAS's GEMM would first
            // pack all of B, which costs more than the product itself.
            cblas_sgemv(
                CblasRowMajor, transB ? CblasNoTrans : CblasTrans,
                Int32(transB ? n : k), Int32(transB ? k : n),
                alpha, b, Int32(ldb), a, Int32(transA ? lda : 1),
                beta, c, 1)
            return
        }
        cblas_sgemm(
            CblasRowMajor,
            transA ? CblasTrans : CblasNoTrans,
            transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }

    /// The upper triangle (`j ≥ i`) of `C = A Aᵀ` for row-major `A` `(n, k)`, a Gram matrix,
    /// in half the multiply-adds of ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``;
    /// the strictly lower triangle of `C` is left as it was.
    @inlinable
    public static func gramUpper(n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard n > 0 else { return }
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(n), Int32(k), 1, a, Int32(lda), 0, c, Int32(ldc))
    }

    /// `op(A) * op(B)` as a new matrix.
    public static func matmul(_ a: Matrix, _ b: Matrix, transA: Bool = false, transB: Bool = false) -> Matrix {
        let m = transA ? a.cols : a.rows
        let k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows
        let n = transB ? b.rows : b.cols
        precondition(k == kb, "matmul: inner dimensions \(k) and \(kb) differ")
        var c = Matrix(rows: m, cols: n)
        guard k > 0 else { return c }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    sgemm(transA: transA, transB: transB, m: m, n: n, k: k,
                          a: pa.baseAddress!, lda: a.cols, b: pb.baseAddress!, ldb: b.cols,
                          c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }
}
