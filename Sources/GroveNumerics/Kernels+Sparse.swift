extension Kernels {
    /// Collects the entries of `x` (`count` values) that differ from `background`: their
    /// indices and their differences `x[i] − background`. Returns how many there are. `indices`
    /// and `values` must have room for `count` values.
    ///
    /// Images are mostly background (half of a Fashion-MNIST image is exactly 0), so a product
    /// with such a row only needs the weight rows of these entries.
    @inlinable
    public static func entries(
        of x: UnsafePointer<Float>, count: Int, differingFrom background: Float,
        indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>
    ) -> Int {
        // Branch-free: every feature is written at the next free slot, which only advances past
        // an entry (the output buffers hold `count` values).
        var n = 0
        for i in 0..<count {
            let difference = x[i] - background
            indices[n] = Int32(truncatingIfNeeded: i)
            values[n] = difference
            n &+= x[i] != background ? 1 : 0
        }
        return n
    }

    /// `y += Σ_i values[i] · M[indices[i], :]` for a row-major `M` with `cols` columns: a sparse
    /// row vector times a dense matrix, reading only the rows it needs.
    ///
    /// Rows are taken four at a time so that `y` is loaded and stored once per four weight rows;
    /// the arithmetic is then far below the cost of streaming the weights in. (Software
    /// prefetching of the rows ahead measured slower: the weights of a hot model sit in L2/L3.)
    @inlinable
    public static func sparseRowProduct(
        indices: UnsafePointer<Int32>, values: UnsafePointer<Float>, count: Int,
        matrix m: UnsafePointer<Float>, cols: Int, accumulatingInto y: UnsafeMutablePointer<Float>
    ) {
        let vectorCols = cols & ~7
        let raw = UnsafeMutableRawPointer(y)
        var i = 0
        while i + 4 <= count {
            let r0 = m + Int(indices[i]) * cols, r1 = m + Int(indices[i + 1]) * cols
            let r2 = m + Int(indices[i + 2]) * cols, r3 = m + Int(indices[i + 3]) * cols
            let v0 = values[i], v1 = values[i + 1], v2 = values[i + 2], v3 = values[i + 3]
            var j = 0
            while j < vectorCols {
                var acc = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                acc.addProduct(v0, load8(r0 + j))
                acc.addProduct(v1, load8(r1 + j))
                acc.addProduct(v2, load8(r2 + j))
                acc.addProduct(v3, load8(r3 + j))
                raw.storeBytes(of: acc, toByteOffset: j * 4, as: SIMD8<Float>.self)
                j += 8
            }
            while j < cols {
                y[j] += v0 * r0[j] + v1 * r1[j] + v2 * r2[j] + v3 * r3[j]
                j += 1
            }
            i += 4
        }
        while i < count {
            let r = m + Int(indices[i]) * cols
            let v = values[i]
            var j = 0
            while j < vectorCols {
                var acc = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                acc.addProduct(v, load8(r + j))
                raw.storeBytes(of: acc, toByteOffset: j * 4, as: SIMD8<Float>.self)
                j += 8
            }
            while j < cols {
                y[j] += v * r[j]
                j += 1
            }
            i += 1
        }
    }

    @inlinable @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
}
