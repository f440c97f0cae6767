import Foundation
import GroveLearning
import GroveNumerics
import GroveTestSupport
import Testing

/// Three synthetic domains in 16 dimensions: blobs of three separations, far apart.
private struct Domains {
    let a: Matrix, b: Matrix, c: Matrix
    let known: [(name: String, signature: DomainSignature)]

    init(seed: UInt64) {
        a = SyntheticData.blobs(rows: 400, dimension: 16, classes: 3, separation: 2, seed: seed).x
        b = SyntheticData.blobs(rows: 400, dimension: 16, classes: 3, separation: 2, seed: seed + 1).x
        c = SyntheticData.blobs(rows: 400, dimension: 16, classes: 3, separation: 2, seed: seed + 2).x
        known = [("a", DomainSignature(features: Self.rows(a, 0 ..< 200), maxSamples: 128, seed: seed)),
                 ("b", DomainSignature(features: Self.rows(b, 0 ..< 200), maxSamples: 128, seed: seed))]
    }

    static func rows(_ x: Matrix, _ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, cols: x.cols, storage: Array(x.storage[(range.lowerBound * x.cols) ..< (range.upperBound * x.cols)]))
    }
}

private let config = DriftDetectorConfig(samplesPerSide: 128, permutations: 100, seed: 5)

@Test(arguments: [1, 20] as [UInt64])
func disjointSampleOfAKnownDomainIsKnownWithThatDomainNearest(seed: UInt64) throws {
    let domains = Domains(seed: seed)
    let detection = try DriftDetector(config: config).detect(Domains.rows(domains.b, 200 ..< 400), source: "b2", against: domains.known)
    #expect(detection.decision == .known, "seed \(seed): \(detection)")
    #expect(detection.nearestDomain == "b", "seed \(seed)")
    #expect(detection.evidence.map(\.name) == ["a", "b"])
    #expect(detection.statistic == detection.evidence[1].statistic && detection.pValue == detection.evidence[1].pValue)
    #expect(detection.evidence[0].pValue < config.significance, "seed \(seed): far from a")
    #expect(detection.contradiction == nil && detection.declaredDomain == nil)
}

@Test(arguments: [1, 20] as [UInt64])
func sampleOfAnUnseenDistributionIsNew(seed: UInt64) throws {
    let domains = Domains(seed: seed)
    let detection = try DriftDetector(config: config).detect(domains.c, source: "c", against: domains.known)
    #expect(detection.decision == .new, "seed \(seed): \(detection)")
    #expect(detection.nearestDomain != nil)
    #expect(detection.evidence.allSatisfy { $0.pValue < config.significance && $0.statistic > 0 }, "seed \(seed)")
}

@Test func withNoKnownDomainTheDataAreNewWithoutANearestDomain() throws {
    let detection = try DriftDetector().detect(Domains(seed: 1).a, source: "first", against: [], declared: "tops")
    #expect(detection == Detection(decision: .new, nearestDomain: nil, statistic: nil, pValue: nil,
                                   significance: 0.01, evidence: [], declaredDomain: "tops"))
    #expect(detection.contradiction == nil)
}

@Test func declaringAKnownDomainThatTheDataDifferFromIsAContradiction() throws {
    let domains = Domains(seed: 3)
    let detector = DriftDetector(config: config)
    let wrong = try detector.detect(Domains.rows(domains.b, 200 ..< 400), source: "b2", against: domains.known, declared: "a")
    #expect(wrong.decision == .known && wrong.declaredDomain == "a")
    let message = try #require(wrong.contradiction)
    #expect(message.hasPrefix("declared domain 'a' but the data differ from it (MMD² "), "\(message)")
    #expect(message.contains("; nearest is 'b'") && !message.contains("\n"), "\(message)")
    let right = try detector.detect(Domains.rows(domains.b, 200 ..< 400), source: "b2", against: domains.known, declared: "b")
    #expect(right.contradiction == nil && !right.contradictsDeclaration)
}

@Test func declaringANewDomainForDataThatMatchAKnownOneIsAContradiction() throws {
    let domains = Domains(seed: 4)
    let detector = DriftDetector(config: config)
    let detection = try detector.detect(Domains.rows(domains.a, 200 ..< 400), source: "a2", against: domains.known, declared: "shoes")
    let message = try #require(detection.contradiction)
    #expect(message.hasPrefix("declared new domain 'shoes' but the data match known domain 'a' (MMD² "), "\(message)")
    #expect(detection.contradiction(declared: "a") == nil)
    let unseen = try detector.detect(domains.c, source: "c", against: domains.known, declared: "shoes")
    #expect(unseen.contradiction == nil)
}

@Test func evidenceForADomainDoesNotDependOnTheOtherDomainsOrTheirOrder() throws {
    let domains = Domains(seed: 6)
    let detector = DriftDetector(config: config)
    let x = Domains.rows(domains.b, 200 ..< 400)
    let both = try detector.detect(x, source: "x", against: domains.known)
    let reversed = try detector.detect(x, source: "x", against: domains.known.reversed())
    let alone = try detector.detect(x, source: "x", against: [domains.known[1]])
    // Equal up to the last bits of OpenBLAS's sums (see `Detection.matches`).
    var reordered = reversed
    reordered.evidence.reverse()
    #expect(both.matches(reordered), "\(both.evidence) vs \(reversed.evidence)")
    var single = both
    single.evidence = [both.evidence[1]]
    #expect(alone.evidence.count == 1 && single.evidence.count == 1)
    #expect(zip(alone.evidence, single.evidence).allSatisfy { $0.name == $1.name && $0.pValue == $1.pValue && abs($0.statistic - $1.statistic) <= 1e-6 })
    #expect(try detector.detect(x, source: "x", against: domains.known).matches(both), "same seed, same detection")
}

@Test func detectionEncodesItsDecisionAsNewOrKnown() throws {
    let domains = Domains(seed: 7)
    let detection = try DriftDetector(config: config).detect(domains.c, source: "c", against: domains.known, declared: "a")
    let json = try JSONEncoder().encode(detection)
    let text = String(decoding: json, as: UTF8.self)
    #expect(text.contains(#""decision":"new""#), "\(text)")
    #expect(try JSONDecoder().decode(Detection.self, from: json) == detection)
    #expect(try JSONDecoder().decode(DetectionDecision.self, from: Data(#""known""#.utf8)) == .known)
}

@Test func detectorRejectsEmptyTinyAndMismatchedData() {
    let domains = Domains(seed: 8)
    let detector = DriftDetector(config: config)
    #expect(throws: LearningError.emptyDataset(source: "e")) {
        try detector.detect(Matrix(rows: 0, cols: 16), source: "e", against: domains.known)
    }
    #expect(throws: LearningError.tooFewSamples(source: "t", needed: 8, got: 3)) {
        try detector.detect(Domains.rows(domains.a, 0 ..< 3), source: "t", against: domains.known)
    }
    #expect(throws: LearningError.dimensionMismatch(source: "m", expected: 16, got: 4)) {
        try detector.detect(Matrix(rows: 20, cols: 4), source: "m", against: domains.known)
    }
    let tiny = DomainSignature(features: Domains.rows(domains.a, 0 ..< 4), seed: 1)
    #expect(throws: LearningError.tooFewSamples(source: "signature of domain 'tiny'", needed: 8, got: 4)) {
        try detector.detect(domains.c, source: "c", against: [("tiny", tiny)])
    }
}

/// With 50 permutations the smallest p-value is 1/51 ≈ 0.0196, above α = 0.01: every dataset
/// would be `known`. The detector runs enough permutations for α to be reachable.
@Test func tooFewPermutationsForTheSignificanceAreRaisedSoThatNewCanBeFound() throws {
    let few = DriftDetectorConfig(samplesPerSide: 128, permutations: 50, significance: 0.01, seed: 5)
    #expect(few.effectivePermutations == 100)
    #expect(DriftDetectorConfig(permutations: 200).effectivePermutations == 200)
    #expect(DriftDetectorConfig(permutations: 10, significance: 0.05).effectivePermutations == 20)
    #expect(DriftDetectorConfig(permutations: 10, significance: 1e-300).effectivePermutations == DriftDetectorConfig.maximumPermutations)
    #expect(DriftDetectorConfig(permutations: 10, significance: .leastNonzeroMagnitude).effectivePermutations == DriftDetectorConfig.maximumPermutations)
    let domains = Domains(seed: 1)
    let detection = try DriftDetector(config: few).detect(domains.c, source: "c", against: domains.known)
    #expect(detection.decision == .new, "\(detection)")
    #expect((detection.pValue ?? 1) < 0.01)
}

