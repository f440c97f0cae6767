/// One phase of the report: what the detector saw, what grew, and every domain's accuracy after.
public struct ReportPhase: Sendable, Codable, Equatable {
    /// Position in the stream, from 0.
    public var index: Int
    /// The job that ran the phase, when the phase came from the daemon's queue.
    public var job: Int?
    /// The domain the dataset was assigned to.
    public var domain: String
    /// The domain the submitter declared, if any.
    public var declaredDomain: String?
    /// The new-distribution test and its evidence.
    public var detection: ReportDetection
    /// A one-line note when the declaration contradicted the evidence.
    public var contradiction: String?
    /// Ids of the experts added in this phase.
    public var grown: [Int]
    /// Training samples used.
    public var trainSamples: Int
    /// Accuracy of every known domain after the phase, a fraction in [0, 1], by domain name.
    public var accuracy: [String: Double]
    /// Routing accuracy of every known domain after the phase (share of its inputs whose first
    /// choice is one of its own experts), by domain name.
    public var routingAccuracy: [String: Double]
    /// Wall-clock seconds of each step.
    public var timings: ReportTimings
    /// For a rollback, the version it restored (a rollback learns nothing: its detection's
    /// decision is `rollback`, it grows nothing, and its accuracies are the restored version's).
    public var rolledBackTo: Int?

    /// A phase from its parts.
    public init(index: Int, job: Int? = nil, domain: String, declaredDomain: String? = nil,
                detection: ReportDetection, contradiction: String? = nil, grown: [Int], trainSamples: Int,
                accuracy: [String: Double], routingAccuracy: [String: Double], timings: ReportTimings = ReportTimings()) {
        self.index = index
        self.job = job
        self.domain = domain
        self.declaredDomain = declaredDomain
        self.detection = detection
        self.contradiction = contradiction
        self.grown = grown
        self.trainSamples = trainSamples
        self.accuracy = accuracy
        self.routingAccuracy = routingAccuracy
        self.timings = timings
    }

    /// Mean accuracy over the domains evaluated after this phase; `nil` when none was.
    public var averageAccuracy: Double? {
        accuracy.isEmpty ? nil : accuracy.values.reduce(0, +) / Double(accuracy.count)
    }

    enum CodingKeys: String, CodingKey {
        case index, job, domain
        case declaredDomain = "declared_domain"
        case detection, contradiction, grown
        case trainSamples = "train_samples"
        case accuracy
        case routingAccuracy = "routing_accuracy"
        case timings
        case rolledBackTo = "rolled_back_to"
    }

    /// Encodes every key, with `null` for absent values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(job, forKey: .job)
        try c.encode(domain, forKey: .domain)
        try c.encode(declaredDomain, forKey: .declaredDomain)
        try c.encode(detection, forKey: .detection)
        try c.encode(contradiction, forKey: .contradiction)
        try c.encode(grown, forKey: .grown)
        try c.encode(trainSamples, forKey: .trainSamples)
        try c.encode(accuracy, forKey: .accuracy)
        try c.encode(routingAccuracy, forKey: .routingAccuracy)
        try c.encode(timings, forKey: .timings)
        try c.encode(rolledBackTo, forKey: .rolledBackTo)
    }
}

/// Wall-clock seconds of each step of a phase.
public struct ReportTimings: Sendable, Codable, Equatable {
    /// Distribution test against every known domain.
    public var detect: Double
    /// Training the new experts.
    public var trainExperts: Double
    /// Retraining the gate on the replay mix.
    public var retrainGate: Double
    /// Evaluating every domain.
    public var evaluate: Double
    /// The whole phase.
    public var total: Double

    /// Timings in seconds; all zero by default.
    public init(detect: Double = 0, trainExperts: Double = 0, retrainGate: Double = 0, evaluate: Double = 0, total: Double = 0) {
        self.detect = detect
        self.trainExperts = trainExperts
        self.retrainGate = retrainGate
        self.evaluate = evaluate
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case detect
        case trainExperts = "train_experts"
        case retrainGate = "retrain_gate"
        case evaluate, total
    }
}
