import GroveNumerics

/// What the gate sees of an input `x` of `D` features.
///
/// The gate decides which experts an input belongs to, so it must tell domains apart whatever
/// their scale. A gate over standardised features cannot: when one domain's pixels are 0…255 and
/// another's 0…1, statistics fitted to the mix squeeze the small domain into a sliver that a
/// gate with small initial weights barely resolves. A row-standardised gate sees the shape of
/// every row at unit scale, and the row's scale as two features of their own.
///
/// ## Topics
/// - ``standardized(_:)``
/// - ``rowStandardized(_:)``
/// - ``width(features:)``
public enum GateInput: Sendable, Equatable {
    /// Every feature standardised with one scalar mean and std, `(x − mean) / std`: width `D`.
    /// With ``InputNormalization/identity`` the gate reads the inputs themselves (the reference
    /// layer of `grove bench`). Stores written before row-standardised gates hold this form.
    case standardized(InputNormalization)
    /// Each row standardised by its own mean and std, followed by its two scale features
    /// (``RowScaleStatistics``): width `D + 2`. Invariant to a row's scale and offset except
    /// through those two features. The lifelong learner's gates use this form and refit the
    /// statistics to the replay mix whenever the gate is retrained.
    ///
    /// The two standardised scale features are multiplied by `√(D/2)`, so that they carry as
    /// much of the input's energy as the `D` unit-variance shape features together: a freshly
    /// initialised gate then responds to a row's scale as strongly as to its shape, instead of
    /// having to grow two of its `D + 2` input weights √(D/2)-fold (20-fold for 784 features) first (on Fashion-MNIST, two
    /// domains 255-fold apart were routed 98 % right without the gain and 100 % with it).
    case rowStandardized(RowScaleStatistics)

    /// The gate reads the inputs unchanged.
    public static let identity = GateInput.standardized(.identity)

    /// Width of the gate's input for inputs of `features` features.
    public func width(features: Int) -> Int {
        switch self {
        case .standardized: features
        case .rowStandardized: features + 2
        }
    }

    /// Whether the gate reads the inputs unchanged (no transformed copy is needed).
    public var isIdentity: Bool {
        if case .standardized(let n) = self { return n.isIdentity }
        return false
    }

    /// Writes the gate inputs of `rows` rows `x` `(rows, features)` into `out`
    /// `(rows, width(features:))`.
    public func transform(_ x: UnsafePointer<Float>, rows: Int, features: Int, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case .standardized(let normalization):
            normalization.apply(x, count: rows * features, into: out)
        case .rowStandardized(let statistics):
            let width = features + 2
            let gain = (Float(features) / 2).squareRoot()
            for r in 0..<rows {
                let row = x + r * features
                let dst = out + r * width
                let (mean, std) = RowScaleStatistics.moments(row, count: features)
                if RowScaleStatistics.isFlat(mean: mean, std: std) {
                    dst.update(repeating: 0, count: features)
                } else {
                    InputNormalization(mean: mean, std: std).apply(row, count: features, into: dst)
                }
                let scale = statistics.features(mean: mean, std: std)
                dst[features] = scale.scale * gain
                dst[features + 1] = scale.offset * gain
            }
        }
    }
}

// MARK: - Codable

extension GateInput: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, normalization, statistics
    }

    private enum Kind: String, Codable {
        case standardized
        case rowStandardized = "row-standardized"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .standardized: self = .standardized(try c.decode(InputNormalization.self, forKey: .normalization))
        case .rowStandardized: self = .rowStandardized(try c.decode(RowScaleStatistics.self, forKey: .statistics))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .standardized(let normalization):
            try c.encode(Kind.standardized, forKey: .kind)
            try c.encode(normalization, forKey: .normalization)
        case .rowStandardized(let statistics):
            try c.encode(Kind.rowStandardized, forKey: .kind)
            try c.encode(statistics, forKey: .statistics)
        }
    }
}
