import Foundation

/// Everything one phase adds to the store, committed at once by ``Store/commitPhase(_:)``.
///
/// The commit creates the model on its first phase, the domain when it is new, the dataset
/// with its held-out split, a gate version, a model version (number = latest + 1) containing
/// every earlier expert plus ``experts``, the detection, evaluations, replay reservoirs and
/// events, and marks the job `succeeded`. Nothing of it is visible until it has all been
/// written; if anything fails, nothing is.
///
/// ```swift
/// let phase = PhaseCommit(
///     jobID: job.id, inputDimension: 784, labels: ["0", "1"],
///     domain: .init(name: "tops", signature: signatureBytes),
///     dataset: dataset, detection: .init(decision: .new), gate: gate,
///     experts: [.init(hiddenDimension: 256, classes: [0, 1], weights: w, checksum: c)],
///     evaluations: [.init(domain: "tops", metric: .accuracy, value: 0.97, sampleCount: 300)])
/// let committed = try await store.commitPhase(phase)
/// ```
public struct PhaseCommit: Sendable {
    /// The running job whose phase this is; it names the model.
    public var jobID: Int64
    /// The model's input dimension D (checked against the stored one).
    public var inputDimension: Int
    /// The model's labels after this phase; must start with the stored labels.
    public var labels: [String]
    /// The domain the dataset was assigned to.
    public var domain: Domain
    /// The dataset the phase learned.
    public var dataset: Dataset
    /// The detector's evidence.
    public var detection: Detection
    /// The retrained gate.
    public var gate: Gate
    /// The experts the phase grew, in order.
    public var experts: [Expert]
    /// Evaluations of the new model version.
    public var evaluations: [Evaluation]
    /// Replay reservoirs as of the new model version.
    public var replay: [Replay]
    /// Audit-log entries of the phase.
    public var events: [Event]
    /// The learner's state document after this phase and the blobs it names; stored in the
    /// same transaction, so a restart resumes from exactly this version.
    public var snapshot: Snapshot?
    /// How long the phase's steps took, if measured.
    public var timings: Timings?
    /// The claim this phase ran under: the job's ``JobRecord/attempts`` when it was claimed.
    /// When set, the commit fails with ``StoreError/leaseLost(jobID:)`` if the job has been
    /// claimed again since (its lease ran out and another worker took it).
    public var attempt: Int?
    /// The model version the phase started from (0: the model had none). When set, the commit
    /// fails with ``StoreError/headMoved(model:expected:found:)`` unless that is still the
    /// newest version, so that no phase ever builds on a stale model.
    public var baseVersion: Int?

    /// Creates a phase commit.
    public init(
        jobID: Int64, inputDimension: Int, labels: [String], domain: Domain, dataset: Dataset,
        detection: Detection, gate: Gate, experts: [Expert], evaluations: [Evaluation] = [],
        replay: [Replay] = [], events: [Event] = [], snapshot: Snapshot? = nil, timings: Timings? = nil
    ) {
        self.snapshot = snapshot
        self.timings = timings
        self.jobID = jobID
        self.inputDimension = inputDimension
        self.labels = labels
        self.domain = domain
        self.dataset = dataset
        self.detection = detection
        self.gate = gate
        self.experts = experts
        self.evaluations = evaluations
        self.replay = replay
        self.events = events
    }

    // MARK: - Parts

    /// Seconds of each step of the phase, and the gate steps it ran.
    public struct Timings: Sendable, Equatable {
        /// Testing whether the data are new.
        public var detect: Double
        /// Training the new experts.
        public var trainExperts: Double
        /// Retraining the gate.
        public var retrainGate: Double
        /// Evaluating every domain.
        public var evaluate: Double
        /// The whole phase.
        public var total: Double
        /// Optimizer steps of the gate retraining, if known.
        public var gateSteps: Int?
        /// Creates timings.
        public init(detect: Double, trainExperts: Double, retrainGate: Double, evaluate: Double, total: Double, gateSteps: Int? = nil) {
            self.detect = detect
            self.trainExperts = trainExperts
            self.retrainGate = retrainGate
            self.evaluate = evaluate
            self.total = total
            self.gateSteps = gateSteps
        }
    }

    /// A learner snapshot: the document and the content-addressed blobs it refers to.
    public struct Snapshot: Sendable {
        /// The snapshot document (JSON).
        public var document: Data
        /// Blobs the document names by SHA-256.
        public var blobs: [(data: Data, kind: BlobKind)]
        /// Creates a snapshot part.
        public init(document: Data, blobs: [(data: Data, kind: BlobKind)]) {
            self.document = document
            self.blobs = blobs
        }
    }

    /// The phase's domain; created if the model does not know it yet.
    public struct Domain: Sendable {
        /// Its name, unique within the model.
        public var name: String
        /// Its detector signature; replaces the stored one when given.
        public var signature: Data?
        /// Creates a domain reference.
        public init(name: String, signature: Data? = nil) {
            self.name = name
            self.signature = signature
        }
    }

    /// The dataset of the phase, with its held-out split.
    public struct Dataset: Sendable {
        /// The file format (`idx`, `csv`, `jsonl`, `npy`).
        public var format: String
        /// Features per sample.
        public var featureCount: Int
        /// Distinct classes in the file.
        public var classCount: Int
        /// Samples used for training.
        public var trainCount: Int
        /// Samples held out.
        public var testCount: Int
        /// The split seed.
        public var splitSeed: UInt64
        /// The dataset's signature, if the detector made one.
        public var signature: Data?
        /// The held-out samples, kept to evaluate the domain forever.
        public var heldOut: Data
        /// Creates a dataset description; the sample count is `trainCount + testCount`.
        public init(
            format: String, featureCount: Int, classCount: Int, trainCount: Int, testCount: Int,
            splitSeed: UInt64, signature: Data? = nil, heldOut: Data
        ) {
            self.format = format
            self.featureCount = featureCount
            self.classCount = classCount
            self.trainCount = trainCount
            self.testCount = testCount
            self.splitSeed = splitSeed
            self.signature = signature
            self.heldOut = heldOut
        }
    }

    /// The detector's evidence for the dataset.
    public struct Detection: Sendable {
        /// New or known domain.
        public var decision: DetectionDecision
        /// The closest known domain, by name.
        public var nearestDomain: String?
        /// The test statistic against the nearest domain.
        public var statistic: Double?
        /// The p-value against the nearest domain, in [0, 1].
        public var pValue: Double?
        /// Whether the evidence contradicts the submitter's declared domain.
        public var contradictsDeclaration: Bool
        /// The test's significance level, if known.
        public var significance: Double?
        /// The test against each known domain it ran on.
        public var evidence: [Evidence]
        /// The two-sample test against one known domain.
        public struct Evidence: Sendable, Equatable {
            /// The domain, by name.
            public var domain: String
            /// MMD².
            public var statistic: Double
            /// Its permutation p-value, in [0, 1].
            public var pValue: Double
            /// Creates the evidence against `domain`.
            public init(domain: String, statistic: Double, pValue: Double) {
                self.domain = domain
                self.statistic = statistic
                self.pValue = pValue
            }
        }
        /// Creates detection evidence.
        public init(
            decision: DetectionDecision, nearestDomain: String? = nil, statistic: Double? = nil,
            pValue: Double? = nil, contradictsDeclaration: Bool = false, significance: Double? = nil,
            evidence: [Evidence] = []
        ) {
            self.significance = significance
            self.evidence = evidence
            self.decision = decision
            self.nearestDomain = nearestDomain
            self.statistic = statistic
            self.pValue = pValue
            self.contradictsDeclaration = contradictsDeclaration
        }
    }

    /// The retrained gate.
    public struct Gate: Sendable {
        /// Its serialized parameters.
        public var parameters: Data
        /// Hidden units; 0 for a linear gate.
        public var hiddenDimension: Int
        /// Experts kept per input.
        public var topK: Int
        /// Creates a gate; its input dimension is the model's, its rows the version's experts.
        public init(parameters: Data, hiddenDimension: Int = 0, topK: Int = 2) {
            self.parameters = parameters
            self.hiddenDimension = hiddenDimension
            self.topK = topK
        }
    }

    /// An expert the phase grew; its domain is the phase's domain.
    public struct Expert: Sendable {
        /// The expert it was initialised from, if any.
        public var parent: ExpertReference?
        /// Hidden units H.
        public var hiddenDimension: Int
        /// The model's class numbers of its outputs, in order; C_e = `classes.count`.
        public var classes: [Int]
        /// Its serialized weights.
        public var weights: Data
        /// The engine's checksum of its weights.
        public var checksum: String
        /// Whether it is frozen at the end of the phase (the default).
        public var frozen: Bool
        /// Its number within the model, as the learner names it; nil takes the model's next
        /// number. A number the model already has fails the commit.
        public var number: Int?
        /// Creates a new expert.
        public init(
            parent: ExpertReference? = nil, hiddenDimension: Int, classes: [Int], weights: Data,
            checksum: String, frozen: Bool = true, number: Int? = nil
        ) {
            self.number = number
            self.parent = parent
            self.hiddenDimension = hiddenDimension
            self.classes = classes
            self.weights = weights
            self.checksum = checksum
            self.frozen = frozen
        }
    }

    /// One metric of the new model version on one domain's held-out data.
    public struct Evaluation: Sendable {
        /// The domain, by name.
        public var domain: String
        /// `accuracy`, `loss`, `routing_accuracy`, `load_share`, ...
        public var metric: EvaluationMetric
        /// The expert, for per-expert metrics.
        public var expert: ExpertReference?
        /// The value; `accuracy`, `routing_accuracy` and `load_share` must lie in [0, 1].
        public var value: Double
        /// Samples it was measured on.
        public var sampleCount: Int
        /// Creates an evaluation row.
        public init(
            domain: String, metric: EvaluationMetric, expert: ExpertReference? = nil, value: Double,
            sampleCount: Int
        ) {
            self.domain = domain
            self.metric = metric
            self.expert = expert
            self.value = value
            self.sampleCount = sampleCount
        }
    }

    /// A domain's replay reservoir as of the new model version.
    public struct Replay: Sendable {
        /// The domain, by name.
        public var domain: String
        /// The serialized samples.
        public var samples: Data
        /// How many samples.
        public var sampleCount: Int
        /// Creates a reservoir entry.
        public init(domain: String, samples: Data, sampleCount: Int) {
            self.domain = domain
            self.samples = samples
            self.sampleCount = sampleCount
        }
    }

    /// An audit-log entry; stored with the job and the new model version.
    public struct Event: Sendable {
        /// What it records.
        public var kind: EventKind
        /// A one-line message.
        public var message: String
        /// Creates an event.
        public init(kind: EventKind, message: String) {
            self.kind = kind
            self.message = message
        }
    }
}

/// What ``Store/commitPhase(_:)`` created.
public struct CommittedPhase: Sendable, Hashable {
    /// The new model version.
    public var modelVersion: ModelVersionRecord
    /// The ids of the new experts, in the order of ``PhaseCommit/experts``.
    public var expertIDs: [Int64]
    /// The phase's domain.
    public var domainID: Int64
    /// The committed dataset row.
    public var datasetID: Int64

    /// What a backend returns once its transaction has committed.
    package init(modelVersion: ModelVersionRecord, expertIDs: [Int64], domainID: Int64, datasetID: Int64) {
        self.modelVersion = modelVersion
        self.expertIDs = expertIDs
        self.domainID = domainID
        self.datasetID = datasetID
    }
}
