import GroveModel

/// Every knob of a lifelong-learning phase, with the defaults the built-in streams use.
public struct LifelongConfig: Sendable, Equatable, Codable {
    /// Experts added for a new domain (n).
    public var expertsPerDomain = 1
    /// Hidden units of each expert.
    public var expertHidden = 256
    /// Hidden units of the gate (0: linear gate).
    public var gateHidden = 256
    /// Experts mixed per input.
    public var topK = 2
    /// Passes over a domain's training data when its experts train.
    public var expertEpochs = 2
    /// Fewest optimizer steps of expert training, however small the dataset: more epochs than
    /// `expertEpochs` are run when they would give fewer steps.
    public var expertMinimumSteps = 150
    /// Mini-batch size of expert training.
    public var expertBatchSize = 128
    /// Peak AdamW learning rate of expert training (cosine-decayed).
    public var expertLearningRate: Float = 2e-3
    /// Optimizer steps of gate retraining: the same budget in every phase, however many
    /// domains there are (early stopping may end it sooner). A step trains the gate alone on
    /// ``gateBatchSize`` rows; it never runs an expert.
    public var gateSteps = 1000
    /// Mini-batch size of gate retraining.
    public var gateBatchSize = 128
    /// Peak AdamW learning rate of gate retraining (cosine-decayed) while the model has at most
    /// ``gateLearningRateDomains`` domains.
    public var gateLearningRate: Float = 2e-3
    /// The number of domains from which the gate's peak learning rate falls as `1/√n` (0: never).
    /// A gate that routes many domains gives each of them a small share of every batch, and a
    /// full-size step for the new one moves the routing of all the others: after 100 permuted
    /// domains the lowest routing accuracy of a domain was 0.989 with a constant peak of 1e-3
    /// and 0.990 with this decay, while the 5-domain split stream needs 2e-3 (0.871; 0.862 with
    /// 5e-4).
    public var gateLearningRateDomains = 10
    /// Steps over which gate retraining's learning rate rises linearly to its peak (at most a
    /// tenth of the budget). Each retraining starts a fresh optimizer on a trained gate, and
    /// Adam's first steps move every weight by about the full learning rate whatever its
    /// gradient; the ramp keeps them from knocking over the routing of earlier domains.
    public var gateWarmupSteps = 100
    /// Weight γ of the routing-supervision loss in gate retraining.
    public var routingSupervision: Float = 1
    /// Samples kept per domain for replay.
    public var replayPerDomain = 3000
    /// Replay rows one gate retraining reads, over every domain: each domain contributes an
    /// equal share (at least ``gateMinimumRowsPerDomain``), the phase's own domain at least
    /// ``gatePhaseDomainMinimumShare`` of them.
    public var gatePoolRows = 16_384
    /// The fewest replay rows a domain contributes to a gate retraining.
    public var gateMinimumRowsPerDomain = 32
    /// The smallest share of gate rows drawn from the phase's own domain, which the
    /// warm-started gate has not learned yet. Rows are drawn from a domain drawn uniformly, so
    /// the share is 1/n with n domains; only beyond 1/``gatePhaseDomainMinimumShare`` domains is
    /// the phase's own domain drawn more often.
    public var gatePhaseDomainMinimumShare = 0.05
    /// Replay rows set aside (balanced over the domains) to stop gate retraining early.
    public var gateValidationRows = 2048
    /// Gate steps between two validations. Training keeps the gate with the lowest validation
    /// loss, and stops once ``gatePatience`` validations in a row did not lower it by a
    /// thousandth.
    public var gateValidationInterval = 100
    /// Validations in a row without improvement that end gate retraining.
    public var gatePatience = 3
    /// Most held-out rows of one domain evaluated after each phase. A domain's sample is fixed
    /// when the domain is registered (``evaluationSamples(forDomainNumber:)``) and is the first
    /// rows of its shuffled held-out set, so accuracies of different phases compare the same
    /// rows. `grove evaluate` evaluates every held-out row.
    public var evaluationSamples = 256
    /// The held-out rows of one phase's evaluation that set each domain's sample: the n-th
    /// domain gets this budget divided by n (between ``evaluationMinimumSamples`` and
    /// ``evaluationSamples``). The first 32 domains get 256 rows each, the 100th gets 81, so a
    /// phase evaluates 17 413 rows at 100 domains and 48 824 at 1 000 (256 a domain would be
    /// 25 600 and 256 000): the sum grows with the logarithm of the number of domains until the
    /// minimum is reached, at 256 domains.
    public var evaluationRows = 8192
    /// Fewest held-out rows of one domain evaluated after each phase.
    public var evaluationMinimumSamples = 32
    /// Share of a dataset held out for evaluation when it brings no test file.
    public var testFraction = 0.15
    /// Routing and auxiliary losses of the model.
    public var moe = MoEConfig(topK: 2, noiseStd: 0.1, balanceCoefficient: 0.01, zLossCoefficient: 1e-3)
    /// The two-sample test that decides whether a dataset is new.
    public var detector = DriftDetectorConfig()
    /// Initialise a new domain's experts from the nearest domain's expert when it is related to
    /// the new data (a zero-shot test of the parent's loss on the new labels); a known domain's
    /// new expert always starts from the domain's own.
    public var initializeFromParent = true
    /// Seed of every random choice of the learner.
    public var seed: UInt64 = 0

    /// The defaults.
    public init() {}

    /// Samples kept in a domain signature: as many as the detector compares.
    var detectorSamples: Int { detector.samplesPerSide }

    /// The passes over `samples` rows in batches of `batchSize` that give at least `minimumSteps`
    /// optimizer steps, and never fewer than `epochs`.
    static func epochs(_ epochs: Int, samples: Int, batchSize: Int, minimumSteps: Int) -> Int {
        guard samples > 0, batchSize > 0, minimumSteps > 0 else { return epochs }
        let stepsPerEpoch = samples / batchSize + (samples % batchSize == 0 ? 0 : 1)
        return max(epochs, minimumSteps / stepsPerEpoch + (minimumSteps % stepsPerEpoch == 0 ? 0 : 1))
    }

    /// The held-out rows evaluated after each phase for the `n`-th domain (from 1) of a model:
    /// ``evaluationRows`` / n, within ``evaluationMinimumSamples``...``evaluationSamples``.
    public func evaluationSamples(forDomainNumber n: Int) -> Int {
        min(evaluationSamples, max(evaluationMinimumSamples, evaluationRows / max(n, 1)))
    }

    /// The gate's peak learning rate for a model of `domains` domains.
    func gatePeakLearningRate(domains: Int) -> Float {
        guard gateLearningRateDomains > 0, domains > gateLearningRateDomains else { return gateLearningRate }
        return gateLearningRate * (Float(gateLearningRateDomains) / Float(domains)).squareRoot()
    }

    /// The detector settings with a phase's seed.
    func detector(seed: UInt64) -> DriftDetectorConfig {
        var d = detector
        d.seed = seed
        return d
    }
}
