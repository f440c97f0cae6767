import Foundation
@testable import GroveLearning
import GroveNumerics
import GroveTestSupport
import Testing

// MARK: - Helpers

/// `rows x dimension` samples of N(shift, 1) in every feature.
private func gaussian(rows: Int, dimension: Int, shift: Float = 0, seed: UInt64) -> Matrix {
    var x = SyntheticData.gaussian(rows: rows, dimension: dimension, classes: 1, seed: seed).x
    for i in x.storage.indices { x.storage[i] += shift }
    return x
}

/// Rows `range` of `x`.
private func rows(_ x: Matrix, _ range: Range<Int>) -> Matrix {
    Matrix(rows: range.count, cols: x.cols, storage: Array(x.storage[(range.lowerBound * x.cols) ..< (range.upperBound * x.cols)]))
}

/// The unbiased MMD² written as the double loop of its definition (Gretton et al. 2012,
/// Lemma 6), with σ² the upper median of the pooled pairwise squared distances.
private func referenceMMD(_ z: [[Double]], firstSide: [Bool], sigmaSquared: Double) -> Double {
    func k(_ a: [Double], _ b: [Double]) -> Double {
        exp(-zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / (2 * sigmaSquared))
    }
    let x = z.indices.filter { firstSide[$0] }.map { z[$0] }
    let y = z.indices.filter { !firstSide[$0] }.map { z[$0] }
    var xx = 0.0, yy = 0.0, xy = 0.0
    for i in x.indices { for j in x.indices where i != j { xx += k(x[i], x[j]) } }
    for i in y.indices { for j in y.indices where i != j { yy += k(y[i], y[j]) } }
    for a in x { for b in y { xy += k(a, b) } }
    let n = Double(x.count), m = Double(y.count)
    return xx / (n * (n - 1)) + yy / (m * (m - 1)) - 2 * xy / (n * m)
}

// MARK: - The MMD statistic

@Test(arguments: [3, 11] as [UInt64])
func gemmStatisticAndPermutationsMatchTheDefinitionsDoubleLoop(seed: UInt64) throws {
    let n = 9, m = 7, d = 5
    let x = gaussian(rows: n, dimension: d, seed: seed)
    let y = gaussian(rows: m, dimension: d, shift: 0.4, seed: seed + 100)
    let plan = MMDTest.PermutationPlan(n: n, m: m, permutations: 30, rng: SeededRNG(seed: seed))
    let result = x.storage.withUnsafeBufferPointer { xb in
        y.storage.withUnsafeBufferPointer { yb in MMDTest.evaluate(x: xb, y: yb, dimension: d, plan: plan) }
    }
    let z = (0 ..< n).map { r in x.row(r).map(Double.init) } + (0 ..< m).map { r in y.row(r).map(Double.init) }
    var distances: [Double] = []
    for i in z.indices { for j in (i + 1) ..< z.count { distances.append(zip(z[i], z[j]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)) } }
    let sigmaSquared = distances.sorted()[distances.count / 2]
    #expect(abs(result.bandwidth * result.bandwidth - sigmaSquared) < 1e-4 * sigmaSquared, "seed \(seed)")

    func side(_ b: Int) -> [Bool] { (0 ..< (n + m)).map { plan.indicator[$0 * plan.columns + b] != 0 } }
    let observed = referenceMMD(z, firstSide: side(0), sigmaSquared: sigmaSquared)
    #expect(abs(result.statistic - observed) < 1e-5, "seed \(seed): \(result.statistic) vs \(observed)")
    let atLeast = (1 ..< plan.columns).filter { b in
        #expect(side(b).filter { $0 }.count == n, "seed \(seed): permutation \(b) keeps n rows on side one")
        return referenceMMD(z, firstSide: side(b), sigmaSquared: sigmaSquared) >= observed
    }.count
    #expect(result.pValue == Double(1 + atLeast) / Double(plan.columns), "seed \(seed)")
}

@Test func identicalSamplesGiveAStatisticNearZeroAndAHighPValue() throws {
    let x = gaussian(rows: 128, dimension: 10, seed: 1)
    let result = try MMDTest(permutations: 100, seed: 1).run(x, x)
    // Unbiased: E = 0 under H0; for X == Y it is −2/n (1 − mean off-diagonal k) ≈ −0.01.
    #expect(abs(result.statistic) < 0.02, "\(result)")
    #expect(result.pValue > 0.5, "\(result)")
}

@Test func shiftedSamplesGiveALargeStatisticAndTheSmallestPValue() throws {
    let x = gaussian(rows: 128, dimension: 10, seed: 2)
    let y = gaussian(rows: 128, dimension: 10, shift: 2, seed: 3)
    let result = try MMDTest(permutations: 100, seed: 2).run(x, y)
    #expect(result.statistic > 0.3, "\(result)")
    #expect(result.pValue == 1.0 / 101, "\(result)")
}

@Test func sameDistributionPValuesHaveAControlledFalsePositiveRate() throws {
    let trials = 40
    var rejected: [UInt64] = []
    var pValues: [Double] = []
    for seed in 0 ..< UInt64(trials) {
        let pool = gaussian(rows: 128, dimension: 8, seed: 1_000 + seed)
        let result = try MMDTest(permutations: 200, seed: seed).run(rows(pool, 0 ..< 64), rows(pool, 64 ..< 128))
        pValues.append(result.pValue)
        if result.pValue < 0.05 { rejected.append(seed) }
    }
    let rate = Double(rejected.count) / Double(trials)
    print("MMD false-positive rate at 0.05: \(rate) (seeds \(rejected)); mean p \(pValues.reduce(0, +) / Double(trials))")
    #expect(rate <= 0.15, "rejected at seeds \(rejected)")
    // Roughly uniform: each half of [0, 1] holds a fair share of the p-values.
    #expect(pValues.filter { $0 < 0.5 }.count >= 10 && pValues.filter { $0 >= 0.5 }.count >= 10, "\(pValues)")
}

@Test func halfSigmaMeanShiftInTwentyDimensionsIsDetected() throws {
    let trials = 40
    var missed: [UInt64] = []
    for seed in 0 ..< UInt64(trials) {
        let x = gaussian(rows: 64, dimension: 20, seed: 2_000 + seed)
        let y = gaussian(rows: 64, dimension: 20, shift: 0.5, seed: 3_000 + seed)
        let result = try MMDTest(permutations: 200, seed: seed).run(x, y)
        if result.pValue >= 0.05 { missed.append(seed) }
    }
    let power = 1 - Double(missed.count) / Double(trials)
    print("MMD power for a 0.5σ shift in 20 dims: \(power) (missed seeds \(missed))")
    #expect(power >= 0.95, "missed at seeds \(missed)")
}

@Test func quickselectFindsTheOrderStatisticOfASortedCopy() {
    var rng = SeededRNG(seed: 9)
    for count in [1, 2, 3, 10, 101, 1_000] {
        var values = (0 ..< count).map { _ in Float(rng.next() % 50) }
        let sorted = values.sorted()
        for rank in Set([0, count / 2, count - 1]) {
            let found = values.withUnsafeMutableBufferPointer { MMDTest.select($0, rank: rank) }
            #expect(found == sorted[rank], "count \(count), rank \(rank)")
        }
    }
}

@Test func mmdTestRejectsMismatchedDimensionsAndTinySamples() {
    let x = gaussian(rows: 10, dimension: 4, seed: 1)
    #expect(throws: LearningError.dimensionMismatch(source: "t", expected: 4, got: 5)) {
        try MMDTest().run(x, gaussian(rows: 10, dimension: 5, seed: 2), source: "t")
    }
    #expect(throws: LearningError.tooFewSamples(source: "t", needed: 2, got: 1)) {
        try MMDTest().run(x, gaussian(rows: 1, dimension: 4, seed: 2), source: "t")
    }
}

// MARK: - Signatures

@Test func signatureIsABoundedSeededSubsampleWithTheFullMean() throws {
    let x = gaussian(rows: 1_000, dimension: 6, shift: 3, seed: 4)
    let a = DomainSignature(features: x, maxSamples: 100, seed: 7)
    #expect(a.sampleCount == 100 && a.sourceCount == 1_000 && a.dimension == 6)
    #expect(a == DomainSignature(features: x, maxSamples: 100, seed: 7))
    #expect(a.sampleValues != DomainSignature(features: x, maxSamples: 100, seed: 8).sampleValues)
    let sourceRows = Set((0 ..< x.rows).map { Array(x.row($0)) })
    #expect(Set((0 ..< a.sampleCount).map { Array(a.samples.row($0)) }).count == 100, "rows are distinct")
    #expect((0 ..< a.sampleCount).allSatisfy { sourceRows.contains(Array(a.samples.row($0))) })
    #expect(a.mean.allSatisfy { abs($0 - 3) < 0.15 }, "\(a.mean)")
    #expect(DomainSignature(features: rows(x, 0 ..< 10), seed: 1).sampleCount == 10)
    let decoded = try JSONDecoder().decode(DomainSignature.self, from: JSONEncoder().encode(a))
    #expect(decoded == a)
    #expect(a.meanSquaredDistance(to: a.mean) == 0)
    #expect(a.meanSquaredDistance(to: [0]) == nil)
}

@Test func signatureBytesRoundTripAndStoresOfTheJSONFormStillDecode() throws {
    let a = DomainSignature(features: gaussian(rows: 300, dimension: 6, shift: 1, seed: 5), maxSamples: 50, seed: 3)
    let bytes = a.bytes
    #expect(bytes.count == 4 + 32 + (50 + 1) * 6 * 4)
    #expect(DomainSignature(bytes: bytes) == a)
    #expect(DomainSignature(bytes: try JSONEncoder().encode(a)) == a, "signatures written as JSON before the binary form")
    #expect(DomainSignature(bytes: bytes.dropLast(4)) == nil, "a truncated signature")
    #expect(DomainSignature(bytes: bytes + Data([0, 0, 0, 0])) == nil, "a signature with extra values")
    #expect(DomainSignature(bytes: Data("GSG2".utf8) + bytes.dropFirst(4)) == nil, "an unknown format")
    #expect(DomainSignature(bytes: Data("{\"dimension\": 6}".utf8)) == nil, "incomplete JSON")
    #expect(DomainSignature(bytes: Data()) == nil)
    // Counts that disagree with the values, in either form.
    var huge = bytes
    huge.replaceSubrange(4..<12, with: withUnsafeBytes(of: UInt64.max.littleEndian) { Data($0) })
    #expect(DomainSignature(bytes: huge) == nil, "a dimension larger than the payload")
    var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(a)) as? [String: Any])
    json["sampleCount"] = 49
    #expect(DomainSignature(bytes: try JSONSerialization.data(withJSONObject: json)) == nil, "JSON whose sample count disagrees")
}

// MARK: - Candidates nearest by mean

/// With more domains than candidates, only the domains nearest by mean (and a declared one) are
/// tested and their signatures read; data of a known domain still find it.
@Test func withManyDomainsOnlyTheCandidatesNearestByMeanAreTestedAndTheKnownOneIsFound() throws {
    let config = DriftDetectorConfig(samplesPerSide: 64, permutations: 100, seed: 5, candidates: 3)
    let domains = (0 ..< 40).map { d in (name: "d\(d)", signature: DomainSignature(features: gaussian(rows: 200, dimension: 6, shift: Float(d), seed: UInt64(d)), maxSamples: 64, seed: 1)) }
    let fresh = gaussian(rows: 200, dimension: 6, shift: 23, seed: 99)
    var read: [Int] = []
    let detection = try DriftDetector(config: config).detect(
        fresh, source: "new.csv", against: domains.map(\.name), means: domains.map(\.signature.mean), declared: "d2"
    ) { i in
        read.append(i)
        return domains[i].signature
    }
    #expect(detection.decision == .known && detection.nearestDomain == "d23")
    #expect(Set(detection.evidence.map(\.name)) == ["d2", "d22", "d23", "d24"], "three nearest means and the declared domain")
    #expect(read.sorted() == [2, 22, 23, 24], "no other signature is read")
    #expect(detection.contradiction != nil, "the data differ from the declared d2")
}
