import GroveNumerics
import Testing

/// Naive triple loop, the reference every GEMM is checked against.
private func naiveMatmul(_ a: Matrix, _ b: Matrix, transA: Bool, transB: Bool) -> Matrix {
    let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols, n = transB ? b.rows : b.cols
    var c = Matrix(rows: m, cols: n)
    for i in 0..<m {
        for j in 0..<n {
            var s: Double = 0
            for p in 0..<k {
                s += Double(transA ? a[p, i] : a[i, p]) * Double(transB ? b[j, p] : b[p, j])
            }
            c[i, j] = Float(s)
        }
    }
    return c
}

@Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
func sgemmMatchesNaiveProductForEveryTransposition(transA: Bool, transB: Bool) {
    var rng = SeededRNG(seed: 7)
    let (m, k, n) = (13, 29, 7)
    let a = Matrix.gaussian(rows: transA ? k : m, cols: transA ? m : k, std: 1, rng: &rng)
    let b = Matrix.gaussian(rows: transB ? n : k, cols: transB ? k : n, std: 1, rng: &rng)
    let fast = BLAS.matmul(a, b, transA: transA, transB: transB)
    let slow = naiveMatmul(a, b, transA: transA, transB: transB)
    #expect(fast.rows == m && fast.cols == n)
    for i in 0..<fast.storage.count {
        #expect(abs(fast.storage[i] - slow.storage[i]) < 1e-4, "element \(i)")
    }
}

@Test func seededGeneratorRepeatsItsSequenceAndSeedsDiffer() {
    var a = SeededRNG(seed: 42), b = SeededRNG(seed: 42), c = SeededRNG(seed: 43)
    let sa = (0..<100).map { _ in a.next() }
    let sb = (0..<100).map { _ in b.next() }
    let sc = (0..<100).map { _ in c.next() }
    #expect(sa == sb)
    #expect(sa != sc)
    var g = SeededRNG(seed: 1)
    let floats = (0..<10_000).map { _ in g.nextUnitFloat() }
    #expect(floats.allSatisfy { $0 >= 0 && $0 < 1 })
    let mean = floats.reduce(0, +) / Float(floats.count)
    #expect(abs(mean - 0.5) < 0.02)
    let normals = (0..<10_000).map { _ in g.nextGaussian() }
    let nm = normals.reduce(0, +) / Float(normals.count)
    let nv = normals.map { ($0 - nm) * ($0 - nm) }.reduce(0, +) / Float(normals.count)
    #expect(abs(nm) < 0.05 && abs(nv - 1) < 0.05)
}

/// Noise added in pairs: an odd count, offsets kept, mean 0 and variance scale², and the cosine
/// and sine halves of a pair uncorrelated.
@Test func addedGaussianNoiseHasTheScaleAndKeepsTheValues() {
    var g = SeededRNG(seed: 7)
    let count = 20_001
    var values = [Float](repeating: 3, count: count)
    values.withUnsafeMutableBufferPointer { g.addGaussian(scale: 0.5, to: $0.baseAddress!, count: count) }
    let noise = values.map { Double($0 - 3) }
    let mean = noise.reduce(0, +) / Double(count)
    let variance = noise.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count)
    #expect(abs(mean) < 0.02)
    #expect(abs(variance - 0.25) < 0.015)
    let pairs = count / 2
    let covariance = (0..<pairs).map { noise[2 * $0] * noise[2 * $0 + 1] }.reduce(0, +) / Double(pairs)
    #expect(abs(covariance) < 0.01)
    #expect(noise[count - 1] != 0)
}

@Test func checksumChangesWithOneBitAndIsStable() {
    let values: [Float] = [1, 2, 3, -0.5]
    let sum = Checksum.sha256(floats: values)
    #expect(sum.count == 64)
    #expect(sum == Checksum.sha256(floats: values))
    var flipped = values
    flipped[2] = Float(bitPattern: flipped[2].bitPattern ^ 1)
    #expect(Checksum.sha256(floats: flipped) != sum)
    #expect(Checksum.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
}
