import Foundation
import GroveStore

/// The phases the crash child commits. Phase n learns domain `d(n % 5)`, grows
/// ``expertsPerPhase`` experts (the first a child of the newest stored expert, the second of
/// the first), evaluates every known domain with ``metrics`` and writes ``eventsPerPhase``
/// events. Weights are random so that a commit takes long enough to be interrupted.
enum CrashPhase {
    static let expertsPerPhase = 2
    static let eventsPerPhase = 3
    static let metrics: [EvaluationMetric] = [.accuracy, .loss, .routingAccuracy]
    static let weightBytes = 96 * 1024

    /// A unique 64-hex-digit name: the seed and the counter, each as 16 zero-padded digits.
    static func datasetSHA256(seed: UInt64, counter: Int) -> String {
        func hex16(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return String(repeating: "c", count: 32) + hex16(seed) + hex16(UInt64(counter))
    }

    static func make(
        jobID: Int64, number: Int, knownDomains: [String], parent: Int64?, random: inout SplitMix64
    ) -> PhaseCommit {
        let domain = "d\(number % 5)"
        let evaluated = knownDomains.contains(domain) ? knownDomains : knownDomains + [domain]
        let experts = (0..<expertsPerPhase).map { index in
            PhaseCommit.Expert(
                parent: index == 0 ? parent.map(ExpertReference.stored) : .new(index - 1),
                hiddenDimension: 16, classes: [0, 1],
                weights: random.bytes(weightBytes), checksum: "phase-\(number)-\(index)")
        }
        let evaluations = evaluated.flatMap { name in
            metrics.map { metric in
                PhaseCommit.Evaluation(domain: name, metric: metric, value: random.unit(), sampleCount: 50)
            }
        }
        return PhaseCommit(
            jobID: jobID, inputDimension: 8, labels: ["0", "1"],
            domain: .init(name: domain, signature: random.bytes(256)),
            dataset: .init(
                format: "csv", featureCount: 8, classCount: 2, trainCount: 85, testCount: 15,
                splitSeed: random.next(), heldOut: random.bytes(4096)),
            detection: .init(decision: knownDomains.contains(domain) ? .known : .new,
                             nearestDomain: knownDomains.first, statistic: random.unit(), pValue: random.unit()),
            gate: .init(parameters: random.bytes(8192), hiddenDimension: 0, topK: 2),
            experts: experts, evaluations: evaluations,
            replay: [.init(domain: domain, samples: random.bytes(2048), sampleCount: 16)],
            events: (0..<eventsPerPhase).map { .init(kind: .phase, message: "step \($0) of phase \(number)") })
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func bytes(_ count: Int) -> Data {
        var data = Data(capacity: count + 8)
        while data.count < count {
            withUnsafeBytes(of: next()) { data.append(contentsOf: $0) }
        }
        return data.prefix(count)
    }
}
