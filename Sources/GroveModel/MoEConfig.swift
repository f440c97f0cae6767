/// How a Mixture-of-Experts routes and what its training loss adds to cross-entropy.
public struct MoEConfig: Sendable, Equatable, Codable {
    /// Experts kept per input (1 or 2 in practice).
    public var topK: Int
    /// Standard deviation of the Gaussian noise added to gate logits while training
    /// (noisy top-k, Shazeer et al. 2017, with a fixed noise scale); 0 disables it.
    public var noiseStd: Float
    /// Weight α of the Switch Transformer load-balancing loss `E · Σ_i f_i · P_i`
    /// (Fedus et al. 2021).
    public var balanceCoefficient: Float
    /// Weight β of the router z-loss `mean(logsumexp(logits)²)` (Zoph et al. 2022, ST-MoE).
    public var zLossCoefficient: Float
    /// Capacity factor: each expert takes at most `ceil(factor · N · k / E)` assignments of a
    /// batch of N; the rest overflow and are counted. `nil` means dropless.
    public var capacityFactor: Float?

    /// Defaults: top-2, noise 0, α = 0.01, β = 1e-3, dropless.
    public init(topK: Int = 2, noiseStd: Float = 0, balanceCoefficient: Float = 0.01, zLossCoefficient: Float = 1e-3, capacityFactor: Float? = nil) {
        self.topK = topK
        self.noiseStd = noiseStd
        self.balanceCoefficient = balanceCoefficient
        self.zLossCoefficient = zLossCoefficient
        self.capacityFactor = capacityFactor
    }
}
