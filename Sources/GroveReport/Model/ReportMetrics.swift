/// Continual-learning summaries over the latest phase (Chaudhry et al. 2018; Lopez-Paz &
/// Ranzato 2017), as `ContinualMetrics` defines them.
public struct ReportMetrics: Sendable, Codable, Equatable {
    /// The phase the summaries are taken after.
    public var lastPhase: Int
    /// Mean accuracy over the domains seen so far, in [0, 1].
    public var averageAccuracy: Double
    /// Mean drop of the older domains from their best accuracy.
    public var averageForgetting: Double
    /// Mean change of the older domains' accuracy since they were learned (negative: forgetting).
    public var backwardTransfer: Double
    /// Mean zero-shot gain over a baseline, `nil` where it cannot be defined.
    public var forwardTransfer: Double?

    /// Metrics from their parts.
    public init(lastPhase: Int, averageAccuracy: Double, averageForgetting: Double, backwardTransfer: Double, forwardTransfer: Double? = nil) {
        self.lastPhase = lastPhase
        self.averageAccuracy = averageAccuracy
        self.averageForgetting = averageForgetting
        self.backwardTransfer = backwardTransfer
        self.forwardTransfer = forwardTransfer
    }

    enum CodingKeys: String, CodingKey {
        case lastPhase = "last_phase"
        case averageAccuracy = "average_accuracy"
        case averageForgetting = "average_forgetting"
        case backwardTransfer = "backward_transfer"
        case forwardTransfer = "forward_transfer"
    }

    /// Encodes every key, with `null` for absent values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lastPhase, forKey: .lastPhase)
        try c.encode(averageAccuracy, forKey: .averageAccuracy)
        try c.encode(averageForgetting, forKey: .averageForgetting)
        try c.encode(backwardTransfer, forKey: .backwardTransfer)
        try c.encode(forwardTransfer, forKey: .forwardTransfer)
    }
}
