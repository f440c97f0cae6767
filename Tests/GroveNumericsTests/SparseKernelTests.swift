import GroveNumerics
import Testing

@Test func entriesKeepTheFeaturesThatDifferFromTheBackground() {
    let x: [Float] = [-0.5, 2, -0.5, -0.5, 0, 7, -0.5]
    var indices = [Int32](repeating: -1, count: x.count)
    var values = [Float](repeating: .nan, count: x.count)
    let n = Kernels.entries(of: x, count: x.count, differingFrom: -0.5, indices: &indices, values: &values)
    #expect(n == 3)
    #expect(Array(indices[0..<n]) == [1, 4, 5])
    #expect(Array(values[0..<n]) == [2.5, 0.5, 7.5])
}

/// Every remainder case: entry counts around the four-row unrolling and widths around the
/// eight-lane vectors, against a Double dense reference.
@Test(arguments: [(0, 16), (1, 8), (3, 13), (4, 16), (5, 21), (9, 256), (40, 7)])
func sparseRowProductEqualsTheDenseProduct(count: Int, cols: Int) {
    var rng = SeededRNG(seed: UInt64(count * 1000 + cols))
    let rows = 48
    let m = Matrix.gaussian(rows: rows, cols: cols, std: 1, rng: &rng).storage
    var chosen = Array(0..<rows)
    chosen.shuffle(using: &rng)
    let indices = chosen.prefix(count).sorted().map { Int32($0) }
    let values = indices.map { _ in rng.nextGaussian() }
    let start = (0..<cols).map { _ in rng.nextGaussian() }
    var y = start
    Kernels.sparseRowProduct(indices: indices, values: values, count: count, matrix: m, cols: cols, accumulatingInto: &y)
    for j in 0..<cols {
        var expected = Double(start[j])
        for (i, row) in indices.enumerated() { expected += Double(values[i]) * Double(m[Int(row) * cols + j]) }
        #expect(abs(Double(y[j]) - expected) <= 1e-5 * max(1, abs(expected)), "column \(j): \(y[j]) vs \(expected)")
    }
}
