import GroveData
import GroveNumerics

/// The stored fingerprint of a domain: a bounded, seeded random subsample of its training
/// features, kept as the reference sample of later two-sample tests, and its per-feature mean.
///
/// The subsample is drawn without replacement (a partial Fisher–Yates shuffle driven by
/// `SeededRNG(seed:)`), so the same features and seed always give the same signature. The mean
/// is taken over *all* rows, not only the subsample; it serves reporting and cheap
/// pre-filtering (``meanSquaredDistance(to:)``), never the decision itself.
///
/// ```swift
/// let tops = DomainSignature(features: train, seed: 0)            // at most 256 rows
/// let detection = try DriftDetector().detect(newData, source: "file.idx",
///                                            against: [("tops", tops)])
/// ```
///
/// ## Topics
/// - ``samples``
/// - ``mean``
/// - ``meanSquaredDistance(to:)``
public struct DomainSignature: Sendable, Codable, Equatable {
    /// The default bound on the reference sample: 256 rows, as alibi-detect's MMD examples use.
    public static let defaultMaxSamples = 256

    /// Features per sample, D.
    public let dimension: Int
    /// Rows in the reference sample, `min(maxSamples, sourceCount)`.
    public let sampleCount: Int
    /// Rows of the features the signature was drawn from.
    public let sourceCount: Int
    /// The seed of the subsample.
    public let seed: UInt64
    /// The reference sample, `sampleCount x dimension` row-major values (rows ascending in the
    /// source order).
    public let sampleValues: [Float]
    /// The per-feature mean over all `sourceCount` rows, D values.
    public let mean: [Float]

    /// Draws the signature of a domain from its training features.
    /// - Parameters:
    ///   - features: the domain's training features, `rows x D`.
    ///   - maxSamples: the bound on the reference sample (at least 1).
    ///   - seed: the seed of the subsample.
    public init(features: Matrix, maxSamples: Int = DomainSignature.defaultMaxSamples, seed: UInt64) {
        self.init(storage: features.storage, rows: features.rows, dimension: features.cols,
                  maxSamples: maxSamples, seed: seed)
    }

    /// Draws the signature of a domain from a training dataset's features.
    public init(dataset: Dataset, maxSamples: Int = DomainSignature.defaultMaxSamples, seed: UInt64) {
        self.init(storage: dataset.features, rows: dataset.count, dimension: dataset.dimension,
                  maxSamples: maxSamples, seed: seed)
    }

    private init(storage: [Float], rows: Int, dimension: Int, maxSamples: Int, seed: UInt64) {
        var rng = SeededRNG(seed: seed)
        let sample = SeededSubsample.rows(storage, rows: rows, dimension: dimension,
                                          atMost: max(1, maxSamples), rng: &rng)
        self.dimension = dimension
        self.sampleCount = sample.rows
        self.sourceCount = rows
        self.seed = seed
        self.sampleValues = sample.values
        self.mean = Self.columnMeans(storage, rows: rows, dimension: dimension)
    }

    /// A signature of the given parts, as decoded from storage.
    init(dimension: Int, sampleCount: Int, sourceCount: Int, seed: UInt64, sampleValues: [Float], mean: [Float]) {
        self.dimension = dimension
        self.sampleCount = sampleCount
        self.sourceCount = sourceCount
        self.seed = seed
        self.sampleValues = sampleValues
        self.mean = mean
    }

    /// The reference sample as a `sampleCount x dimension` matrix.
    public var samples: Matrix {
        Matrix(rows: sampleCount, cols: dimension, storage: sampleValues)
    }

    /// The squared Euclidean distance between this domain's mean and `other`, a cheap
    /// first-moment sketch of how far apart two distributions are (it is the MMD² of a linear
    /// kernel); `nil` when the dimensions differ.
    public func meanSquaredDistance(to other: [Float]) -> Double? {
        guard other.count == mean.count else { return nil }
        var sum = 0.0
        for (a, b) in zip(mean, other) {
            let d = Double(a) - Double(b)
            sum += d * d
        }
        return sum
    }

    /// Per-column means of a row-major buffer, accumulated in `Double`; zeros when empty.
    static func columnMeans(_ storage: [Float], rows: Int, dimension: Int) -> [Float] {
        var sums = [Double](repeating: 0, count: dimension)
        guard rows > 0 else { return [Float](repeating: 0, count: dimension) }
        storage.withUnsafeBufferPointer { src in
            sums.withUnsafeMutableBufferPointer { acc in
                for r in 0 ..< rows {
                    let base = r * dimension
                    for c in 0 ..< dimension { acc[c] += Double(src[base + c]) }
                }
            }
        }
        return sums.map { Float($0 / Double(rows)) }
    }
}
