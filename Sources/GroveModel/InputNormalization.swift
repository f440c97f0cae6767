import GroveNumerics

/// The stored input statistics of a model: every feature becomes `(x − mean) / std`.
///
/// One scalar mean and standard deviation over all features (not one per feature), so that a
/// later domain that moves features around (a pixel permutation) is scaled the same way as the
/// first one. Fixed when the model's first dataset arrives and stored with the model.
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

    /// The mean and standard deviation of all entries of `x` (std floored at 1e-6).
    public init(fittedTo x: Matrix) {
        var sum: Double = 0
        var squares: Double = 0
        for v in x.storage {
            sum += Double(v)
            squares += Double(v) * Double(v)
        }
        let n = Double(max(x.storage.count, 1))
        let mean = sum / n
        let variance = max(squares / n - mean * mean, 0)
        self.init(mean: Float(mean), std: Float(max(variance.squareRoot(), 1e-6)))
    }

    /// Whether applying it changes nothing.
    public var isIdentity: Bool { mean == 0 && std == 1 }

    /// The normalised value of a raw 0, computed exactly as `apply` computes it.
    public var normalizedZero: Float { (0 - mean) * (1 / std) }

    /// Writes the normalised `count` values of `x` into `out`.
    @inlinable
    public func apply(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        let inv = 1 / std
        let shift = mean
        for i in 0..<count { out[i] = (x[i] - shift) * inv }
    }
}
