import GroveNumerics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scale of one input row and how rows' scales are spread: the two scale features a
/// row-standardised gate sees (``GateInput/rowStandardized(_:)``).
///
/// For a row `x` of `D` features with mean `μ` and standard deviation `σ` (over its features),
/// the scale features are `log σ` and `μ / σ`. Multiplying a row by `a > 0` moves `log σ` by
/// `log a` and leaves `μ / σ` alone; adding `b` to every feature moves `μ / σ` only. Fitted to
/// a set of rows, the statistics standardise both features to zero mean and unit variance over
/// that set, and every standardised value is clamped to ±``clamp``.
public struct RowScaleStatistics: Sendable, Equatable, Codable {
    /// Mean of `log σ` over the fitted rows.
    public var logScaleMean: Float
    /// Standard deviation of `log σ` over the fitted rows (at least ``minimumSpread``).
    public var logScaleStd: Float
    /// Mean of `μ / σ` over the fitted rows.
    public var offsetMean: Float
    /// Standard deviation of `μ / σ` over the fitted rows (at least ``minimumSpread``).
    public var offsetStd: Float

    /// Standardised scale features are clamped to this magnitude, so that a constant row (whose
    /// `σ` is floored) or a far outlier cannot saturate the gate.
    public static let clamp: Float = 8
    /// The smallest spread a fitted feature is divided by: rows whose scales agree to 1 % are
    /// treated as one scale, not amplified noise.
    public static let minimumSpread: Float = 0.01
    /// Rows whose standard deviation is below this are treated as constant.
    public static let smallestScale: Float = 1e-30

    /// Statistics that leave both features as they are.
    public static let neutral = RowScaleStatistics(logScaleMean: 0, logScaleStd: 1, offsetMean: 0, offsetStd: 1)

    /// Statistics with the given values.
    public init(logScaleMean: Float, logScaleStd: Float, offsetMean: Float, offsetStd: Float) {
        self.logScaleMean = logScaleMean
        self.logScaleStd = logScaleStd
        self.offsetMean = offsetMean
        self.offsetStd = offsetStd
    }

    /// The statistics of the rows of `x`, accumulated in `Double`.
    public init(fittedTo x: Matrix) {
        var sums = (scale: 0.0, scaleSquares: 0.0, offset: 0.0, offsetSquares: 0.0)
        x.storage.withUnsafeBufferPointer { values in
            guard let base = values.baseAddress else { return }
            for r in 0..<x.rows {
                let (mean, std) = Self.moments(base + r * x.cols, count: x.cols)
                let scale = Double(logf(std)), offset = Double(mean / std)
                sums.scale += scale
                sums.scaleSquares += scale * scale
                sums.offset += offset
                sums.offsetSquares += offset * offset
            }
        }
        let n = Double(max(x.rows, 1))
        func spread(_ sum: Double, _ squares: Double) -> Float {
            let mean = sum / n
            return max(Float(max(squares / n - mean * mean, 0).squareRoot()), Self.minimumSpread)
        }
        self.init(logScaleMean: Float(sums.scale / n), logScaleStd: spread(sums.scale, sums.scaleSquares),
                  offsetMean: Float(sums.offset / n), offsetStd: spread(sums.offset, sums.offsetSquares))
    }

    /// The mean and the (floored) standard deviation of `count` values, in `Double`.
    static func moments(_ x: UnsafePointer<Float>, count: Int) -> (mean: Float, std: Float) {
        var sum: Double = 0
        for i in 0..<count { sum += Double(x[i]) }
        let mean = sum / Double(max(count, 1))
        var squares: Double = 0
        for i in 0..<count {
            let d = Double(x[i]) - mean
            squares += d * d
        }
        let std = Float((squares / Double(max(count, 1))).squareRoot())
        return (Float(mean), max(std, smallestScale))
    }

    /// The standardised, clamped scale features of a row with these moments.
    func features(mean: Float, std: Float) -> (scale: Float, offset: Float) {
        let scale = (logf(std) - logScaleMean) / logScaleStd
        let offset = (mean / std - offsetMean) / offsetStd
        return (min(max(scale, -Self.clamp), Self.clamp), min(max(offset, -Self.clamp), Self.clamp))
    }
}
