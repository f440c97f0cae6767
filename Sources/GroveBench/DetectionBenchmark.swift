import GroveData
import GroveLearning
import GroveNumerics

/// The cost of deciding whether a dataset is new, against 10 and 1 000 known domains.
///
/// A phase's detection compares the new data's mean with every known domain's mean (kept in
/// memory) and runs the permutation test against the nearest
/// ``DriftDetectorConfig/candidates`` only, so its cost should barely grow with the number of
/// domains. The known domains here are pixel permutations of Fashion-MNIST (or of the noise
/// that stands in for it); 16 distinct signatures serve every domain, since only the tested
/// ones are read.
enum DetectionBenchmark {
    /// Median milliseconds of one detection of 6 000 rows against `10` and `1000` domains.
    static func run(x: Matrix, reps: Int) -> (tenDomains: Double, thousandDomains: Double) {
        let config = LifelongConfig().detector
        let rows = min(6000, x.rows / 2)
        let newData = permuted(x, rows: 0..<rows, seed: 0xDE7E)
        let signatures = (0..<16).map { i in
            DomainSignature(features: permuted(x, rows: rows..<(2 * rows), seed: UInt64(i)),
                            maxSamples: config.samplesPerSide, seed: UInt64(i))
        }
        func milliseconds(domains: Int) -> Double {
            let names = (0..<domains).map { "domain-\($0)" }
            let means = (0..<domains).map { signatures[$0 % signatures.count].mean }
            let times = (0..<reps).map { _ in
                Stopwatch.seconds {
                    _ = try? DriftDetector(config: config).detect(newData, source: "bench", against: names, means: means) {
                        signatures[$0 % signatures.count]
                    }
                } * 1000
            }
            return times.median
        }
        return (milliseconds(domains: 10), milliseconds(domains: 1000))
    }

    /// The rows `rows` of `x` with their columns in the order of the pixel permutation of `seed`
    /// (the permuted streams' own).
    private static func permuted(_ x: Matrix, rows: Range<Int>, seed: UInt64) -> Matrix {
        let order = PixelPermutation.make(seed: seed, count: x.cols)
        var out = Matrix(rows: rows.count, cols: x.cols)
        for (r, source) in rows.enumerated() {
            for (c, from) in order.enumerated() { out.storage[r * x.cols + c] = x.storage[source * x.cols + from] }
        }
        return out
    }
}
