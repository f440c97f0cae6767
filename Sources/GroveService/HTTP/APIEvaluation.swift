/// `GET /v1/models/{model}/evaluation`: the latest version evaluated on every domain's whole
/// held-out set (a phase evaluates a fixed sample of each).
public struct APIEvaluation: Codable, Sendable, Equatable {
    /// The model.
    public var model: String
    /// The version evaluated, `null` before the first phase.
    public var version: Int?
    /// Mean accuracy over the domains, `null` without domains.
    public var averageAccuracy: Double?
    /// Each domain's figures, in order of appearance.
    public var domains: [Domain]

    /// One domain's figures on its whole held-out set.
    public struct Domain: Codable, Sendable, Equatable {
        /// The domain's name.
        public var name: String
        /// Held-out samples evaluated.
        public var samples: Int
        /// Share of samples whose most probable class is right, in [0, 1].
        public var accuracy: Double
        /// Mean `−log p(y|x)`.
        public var loss: Double
        /// Share of samples routed first to the domain's own experts, in [0, 1].
        public var routingAccuracy: Double

        /// A domain's figures.
        public init(name: String, samples: Int, accuracy: Double, loss: Double, routingAccuracy: Double) {
            self.name = name
            self.samples = samples
            self.accuracy = accuracy
            self.loss = loss
            self.routingAccuracy = routingAccuracy
        }

        enum CodingKeys: String, CodingKey {
            case name, samples, accuracy, loss
            case routingAccuracy = "routing_accuracy"
        }
    }

    /// An evaluation.
    public init(model: String, version: Int?, averageAccuracy: Double?, domains: [Domain]) {
        self.model = model
        self.version = version
        self.averageAccuracy = averageAccuracy
        self.domains = domains
    }

    enum CodingKeys: String, CodingKey {
        case model, version, domains
        case averageAccuracy = "average_accuracy"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(version, forKey: .version)
        try c.encode(averageAccuracy, forKey: .averageAccuracy)
        try c.encode(domains, forKey: .domains)
    }
}
