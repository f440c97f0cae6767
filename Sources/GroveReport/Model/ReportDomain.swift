/// One domain of the report: how it does now, how it did at best, and why it exists.
public struct ReportDomain: Sendable, Codable, Equatable {
    /// The domain's name.
    public var name: String
    /// The phase the domain first appeared in.
    public var firstPhase: Int
    /// Held-out samples it is evaluated on.
    public var samples: Int
    /// Ids of its experts, oldest first.
    public var experts: [Int]
    /// Model-wide class indices seen in the domain, ascending.
    public var classes: [Int]
    /// Accuracy after the latest phase, `nil` when it was not evaluated.
    public var accuracy: Double?
    /// Best accuracy over every phase so far.
    public var bestAccuracy: Double?
    /// The phase of the best accuracy (the earliest, on ties).
    public var bestPhase: Int?
    /// `bestAccuracy − accuracy`, never negative: what was forgotten since the best phase.
    public var drop: Double?
    /// Share of its inputs whose first-choice expert is one of its own, after the latest phase.
    public var routingAccuracy: Double?
    /// Mean `−log p(y|x)` on its held-out samples after the latest phase.
    public var loss: Double?
    /// The detection of the phase it first appeared in: why the service grew for it.
    public var detection: ReportDetection?

    /// A domain from its parts.
    public init(name: String, firstPhase: Int, samples: Int, experts: [Int], classes: [Int],
                accuracy: Double?, bestAccuracy: Double?, bestPhase: Int?, drop: Double?,
                routingAccuracy: Double?, loss: Double? = nil, detection: ReportDetection?) {
        self.name = name
        self.firstPhase = firstPhase
        self.samples = samples
        self.experts = experts
        self.classes = classes
        self.accuracy = accuracy
        self.bestAccuracy = bestAccuracy
        self.bestPhase = bestPhase
        self.drop = drop
        self.routingAccuracy = routingAccuracy
        self.loss = loss
        self.detection = detection
    }

    enum CodingKeys: String, CodingKey {
        case name
        case firstPhase = "first_phase"
        case samples, experts, classes, accuracy
        case bestAccuracy = "best_accuracy"
        case bestPhase = "best_phase"
        case drop
        case routingAccuracy = "routing_accuracy"
        case loss, detection
    }

    /// Encodes every key, with `null` for absent values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(firstPhase, forKey: .firstPhase)
        try c.encode(samples, forKey: .samples)
        try c.encode(experts, forKey: .experts)
        try c.encode(classes, forKey: .classes)
        try c.encode(accuracy, forKey: .accuracy)
        try c.encode(bestAccuracy, forKey: .bestAccuracy)
        try c.encode(bestPhase, forKey: .bestPhase)
        try c.encode(drop, forKey: .drop)
        try c.encode(routingAccuracy, forKey: .routingAccuracy)
        try c.encode(loss, forKey: .loss)
        try c.encode(detection, forKey: .detection)
    }
}
