import GroveNumerics

/// A known domain as the novelty score sees it: its mean over all its training rows and the
/// per-feature variance of its signature's reference rows. Small (two numbers a feature), so a
/// model keeps one per domain in memory; the reference rows stay in the store.
public struct DomainProfile: Sendable, Equatable {
    /// The share of the features' mean variance added to each feature's variance, so that a
    /// feature that never varies in the domain (a blank image corner) weighs heavily but not
    /// infinitely.
    public static let varianceFloor: Float = 0.01

    /// The domain's name.
    public let name: String
    /// The per-feature mean over the domain's training rows, D values.
    public let mean: [Float]
    /// The per-feature variance of the reference rows about ``mean``, floored
    /// (``varianceFloor``), D values.
    public let variance: [Float]
    /// The mean over the reference rows of their scaled squared distance to ``mean``
    /// (``NoveltyScorer``): what a row of the domain scores before normalisation.
    public let spread: Double

    /// The profile of a domain's signature.
    public init(name: String, signature: DomainSignature) {
        self.name = name
        mean = signature.mean
        let d = signature.dimension, n = max(1, signature.sampleCount)
        var raw = [Float](repeating: 0, count: d)
        signature.sampleValues.withUnsafeBufferPointer { values in
            for row in 0..<signature.sampleCount {
                for j in 0..<d {
                    let delta = values[row * d + j] - signature.mean[j]
                    raw[j] += delta * delta
                }
            }
        }
        for j in 0..<d { raw[j] /= Float(n) }
        let floor = max(Self.varianceFloor * raw.reduce(0, +) / Float(max(1, d)), 1e-12)
        let variance = raw.map { $0 + floor }
        self.variance = variance
        var total = 0.0
        signature.sampleValues.withUnsafeBufferPointer { values in
            for row in 0..<signature.sampleCount {
                var sum: Float = 0
                for j in 0..<d {
                    let delta = values[row * d + j] - signature.mean[j]
                    sum += delta * delta / variance[j]
                }
                total += Double(sum)
            }
        }
        spread = max(total / Double(n), 1e-12)
    }
}
