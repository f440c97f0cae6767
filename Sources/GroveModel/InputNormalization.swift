import GroveNumerics

/// Input statistics that make every feature `(x − mean) / std`.
///
/// One scalar mean and standard deviation over all features (not one per feature), so that a
/// domain that moves features around (a pixel permutation) is scaled like the one it came from.
/// Each expert keeps the statistics of the data it was grown for (``Expert/normalization``),
/// fixed with the expert, so a domain on any scale (×255, ×1/255, shifted) reaches its expert
/// as unit-scale values.
public struct InputNormalization: Sendable, Equatable, Codable {
    /// Subtracted from every feature.
    public var mean: Float
    /// Every centred feature is divided by this.
    public var std: Float

    /// The identity: mean 0, std 1.
    public static let identity = InputNormalization(mean: 0, std: 1)

    /// Normalisation by the given statistics.
    public init(mean: Float, std: Float) {
        self.mean = mean
        self.std = std
    }

    /// The mean and standard deviation of all entries of `x`, accumulated in `Double`. The
    /// standard deviation is floored at `1e-6 · max(1, |mean|)`, so constant data is centred
    /// to zero instead of divided by zero (a later deviation from the constant is magnified by
    /// up to that floor's inverse).
    public init(fittedTo x: Matrix) {
        var sum: Double = 0
        var squares: Double = 0
        x.storage.withUnsafeBufferPointer { values in
            for v in values {
                sum += Double(v)
                squares += Double(v) * Double(v)
            }
        }
        let n = Double(max(x.storage.count, 1))
        let mean = sum / n
        let variance = max(squares / n - mean * mean, 0)
        let floor = 1e-6 * max(1, abs(mean))
        self.init(mean: Float(mean), std: Float(max(variance.squareRoot(), floor)))
    }

    /// Whether applying it changes nothing.
    public var isIdentity: Bool { mean == 0 && std == 1 }

    /// The normalised value of a raw 0, computed exactly as `apply` computes it.
    public var normalizedZero: Float { (0 - mean) * (1 / std) }

    /// Writes the normalised `count` values of `x` into `out` (which may be `x` itself).
    @inlinable
    public func apply(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        let inv = 1 / std
        let shift = mean
        for i in 0..<count { out[i] = (x[i] - shift) * inv }
    }
}
