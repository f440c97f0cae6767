/// How the model does on one domain's held-out samples after a phase.
public struct DomainEvaluation: Sendable, Equatable, Codable {
    /// The domain.
    public var domain: String
    /// Share of samples whose most probable class (over every class seen so far) is right.
    public var accuracy: Double
    /// Mean `−log p(y|x)`.
    public var loss: Double
    /// Share of samples whose first-choice expert belongs to this domain.
    public var routingAccuracy: Double
    /// Held-out samples evaluated.
    public var samples: Int
    /// Share of this domain's top-k assignments that went to each expert (by expert id).
    public var expertLoad: [Int: Double]
}

/// Wall-clock seconds of each step of a phase.
public struct PhaseTimings: Sendable, Equatable, Codable {
    /// Distribution test against every known domain.
    public var detect: Double = 0
    /// Training the new experts.
    public var trainExperts: Double = 0
    /// Retraining the gate on the replay mix.
    public var retrainGate: Double = 0
    /// Evaluating every domain.
    public var evaluate: Double = 0
    /// The whole phase.
    public var total: Double = 0
}

/// What one phase did: the evidence, the growth and the evaluation of every known domain.
public struct PhaseReport: Sendable, Equatable, Codable {
    /// Position in the stream, from 0.
    public var index: Int
    /// The domain this dataset was assigned to.
    public var domain: String
    /// The domain name the submitter declared, if any.
    public var declaredDomain: String?
    /// The detector's evidence.
    public var detection: Detection
    /// A one-line note when the declaration contradicts the evidence.
    public var contradiction: String?
    /// Ids of the experts added in this phase.
    public var grown: [Int]
    /// Training samples used.
    public var trainSamples: Int
    /// Every known domain's evaluation after the phase.
    public var evaluations: [DomainEvaluation]
    /// Step timings.
    public var timings: PhaseTimings
    /// Gate retraining steps run: the budget, or fewer when early stopping ended it; nil in
    /// phases recorded before gate budgets.
    public var gateSteps: Int?
}
