import GroveNumerics
import GroveTestSupport
import Testing

@Test func softmaxCrossEntropyGradientMatchesFiniteDifferences() {
    var rng = SeededRNG(seed: 3)
    let (rows, cols) = (4, 5)
    var logits = Matrix.gaussian(rows: rows, cols: cols, std: 2, rng: &rng).storage
    let labels: [Int32] = [0, 3, 4, 1]
    var grad = [Float](repeating: 0, count: rows * cols)
    func loss() -> Float {
        var scratch = [Float](repeating: 0, count: rows * cols)
        return Kernels.softmaxCrossEntropy(logits: logits, labels: labels, rows: rows, cols: cols, gradient: &scratch)
    }
    let value = Kernels.softmaxCrossEntropy(logits: logits, labels: labels, rows: rows, cols: cols, gradient: &grad)
    #expect(value > 0)
    for i in 0..<logits.count {
        let n = GradientCheck.numericDerivative(step: 1e-2, perturb: { logits[i] += $0 }, loss: loss)
        #expect(GradientCheck.agrees(grad[i], n), "logit \(i): analytic \(grad[i]) numeric \(n)")
    }
}

@Test func softmaxRowsSumToOneAndReportLogSumExp() {
    var x: [Float] = [1, 2, 3, 1000, 1000, 1000]
    var lse: [Float] = [0, 0]
    Kernels.softmaxRows(&x, rows: 2, cols: 3, logSumExp: &lse)
    #expect(abs(x[0] + x[1] + x[2] - 1) < 1e-6)
    #expect(abs(x[3] - 1.0 / 3) < 1e-6)
    #expect(abs(lse[0] - (3 + log(1 + exp(-1) + exp(-2)))) < 1e-5)
    #expect(abs(lse[1] - (1000 + log(3))) < 1e-3)
}

@Test func topKPicksLargestFirstAndBreaksTiesByIndex() {
    let x: [Float] = [0.1, 0.9, 0.5, 0.9,
                      -1, -2, -3, -0.5]
    var out = [Int32](repeating: 0, count: 4)
    Kernels.topK(x, rows: 2, cols: 4, k: 2, into: &out)
    #expect(out == [1, 3, 3, 0])
}

@Test func gatherThenScatterAddRestoresScaledRows() {
    let x: [Float] = [1, 2, 3, 4, 5, 6]  // 3 rows x 2
    let idx: [Int32] = [2, 0]
    var gathered = [Float](repeating: 0, count: 4)
    idx.withUnsafeBufferPointer { Kernels.gatherRows(x, cols: 2, indices: $0, into: &gathered) }
    #expect(gathered == [5, 6, 1, 2])
    var out = [Float](repeating: 1, count: 6)
    let scale: [Float] = [2, 0.5]
    idx.withUnsafeBufferPointer { Kernels.scatterAddRows(gathered, cols: 2, indices: $0, scale: scale, into: &out) }
    #expect(out == [1.5, 2, 1, 1, 11, 13])
}

@Test func adamWStepMatchesItsDefinitionInDouble() {
    let config = AdamWConfig(learningRate: 0.01, weightDecay: 0.1)
    var state = AdamWState(count: 3)
    var p: [Float] = [0.5, -1, 2]
    let grads: [[Float]] = [[0.1, -0.2, 0.3], [0.05, 0.1, -0.4]]
    var ref = p.map(Double.init), m = [Double](repeating: 0, count: 3), v = m
    for (step, g) in grads.enumerated() {
        state.update(parameters: &p, gradients: g, config: config)
        let t = Double(step + 1)
        for i in 0..<3 {
            m[i] = 0.9 * m[i] + 0.1 * Double(g[i])
            v[i] = 0.999 * v[i] + 0.001 * Double(g[i]) * Double(g[i])
            let mh = m[i] / (1 - pow(0.9, t)), vh = v[i] / (1 - pow(0.999, t))
            ref[i] = ref[i] - 0.01 * (mh / (vh.squareRoot() + 1e-8) + 0.1 * ref[i])
        }
    }
    for i in 0..<3 { #expect(abs(Double(p[i]) - ref[i]) < 1e-5, "parameter \(i)") }
    #expect(state.step == 2)
}

@Test func parallelForEachRunsEveryIterationOnce() {
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 64)
    counts.initialize(repeating: 0)
    defer { counts.deallocate() }
    Parallel.forEach(64) { counts[$0] += 1 }
    #expect(counts.allSatisfy { $0 == 1 })
}

#if canImport(Glibc)
import Glibc
#endif
