import GroveData
import GroveModel
import GroveNumerics

/// The lifelong learner: one phase per dataset — detect, grow, train the new
/// experts, freeze them, retrain the gate on a replay mix, evaluate every domain.
///
/// Earlier experts are frozen before any later phase trains, so what they learned cannot be
/// forgotten; only routing can degrade, and gate retraining on a domain-balanced sample of every
/// domain's replay reservoir guards it. A phase costs the same however many domains came before:
/// the gate trains for a fixed budget of steps, and evaluation reads a fixed sample of each
/// domain's held-out rows. Replay, held-out rows and signatures live in blobs (``blobs``) that a
/// phase reads when it needs them. A phase either completes or throws before changing anything.
public struct LifelongLearner: Sendable {
    /// The settings of every phase.
    public let config: LifelongConfig
    /// The model, `nil` before the first phase.
    public internal(set) var model: MixtureOfExperts?
    /// Known domains in order of appearance.
    public internal(set) var domains: [DomainState] = []
    /// Phases the model went through before this value's history begins: those of the stored
    /// versions it was restored from, whose reports live in the store's rows.
    public internal(set) var earlierPhaseCount = 0
    /// The phases this value learned itself, since it was made or restored.
    public internal(set) var phases: [PhaseReport] = []
    /// `accuracy[i][j]`: accuracy on domain j after the i-th of ``phases`` (nil before domain j
    /// appeared).
    public internal(set) var accuracy: [[Double?]] = []
    /// The blobs of the domains' rows and signatures.
    public internal(set) var blobs: LearnerBlobs
    /// What the latest phase added to its domain, for the store's relational rows; nil before
    /// the first phase of this value and after a restore.
    public internal(set) var lastPhaseRows: PhaseRows?
    /// Expert numbers and domain names a rollback retired, which later phases do not reuse.
    public internal(set) var retired: RetiredIdentifiers?

    /// Every phase the model went through, earlier ones included: the next phase's index.
    public var phaseCount: Int { earlierPhaseCount + phases.count }

    /// Average accuracy, forgetting and transfer over the latest phase; nil before the first,
    /// and for a restored learner, whose earlier accuracies only the store holds.
    public var metrics: ContinualMetrics? {
        guard earlierPhaseCount == 0 else { return nil }
        return ContinualMetrics(accuracy: accuracy, learnedAt: domains.map(\.firstPhase))
    }

    /// A learner with no model yet, reading stored blobs from `archive` (keeping them all in
    /// memory when nil).
    public init(config: LifelongConfig = LifelongConfig(), archive: (any SampleArchive)? = nil) {
        self.config = config
        self.blobs = LearnerBlobs(archive: archive)
    }

    /// Records that a store holds every blob the learner made: with an archive, they are
    /// dropped from memory and read from it when needed.
    public mutating func markBlobsStored() {
        blobs.markStored()
        lastPhaseRows = nil
    }

    /// Runs one phase on `train` (and `test`, or a seeded split of `train` when nil).
    /// - Parameters:
    ///   - declaredDomain: the submitter's domain name; it wins over the detector, and a
    ///     contradiction is reported.
    ///   - monitor: stops the phase between training steps (`CancellationError`, the learner
    ///     left as it was) and receives its progress: detection up to 5 %, expert training to
    ///     70 %, gate retraining to 95 %, evaluation to 100 %.
    /// - Returns: the phase report (also appended to `phases`).
    @discardableResult
    public mutating func learn(train: Dataset, test: Dataset?, declaredDomain: String? = nil, monitor: PhaseMonitor = PhaseMonitor()) throws -> PhaseReport {
        let start = Stopwatch.now()
        var timings = PhaseTimings()
        guard train.count > 0 else { throw LearningError.emptyDataset(source: train.source) }
        if let model, model.inputs != train.dimension {
            throw LearningError.dimensionMismatch(source: train.source, expected: model.inputs, got: train.dimension)
        }
        let phaseIndex = phaseCount
        let phaseSeed = config.seed &+ UInt64(phaseIndex) &* 0x9E37_79B9
        var trainSet = train
        var testSet = test
        if testSet == nil {
            let parts = try train.split(testFraction: config.testFraction, seed: phaseSeed)
            trainSet = parts.train
            testSet = parts.test
        }
        let trainX = Matrix(rows: trainSet.count, cols: trainSet.dimension, storage: trainSet.features)
        let testX = testSet.map { Matrix(rows: $0.count, cols: $0.dimension, storage: $0.features) }

        // 3. Detect.
        var found: Detection?
        timings.detect = try Stopwatch.seconds {
            let known = domains
            found = try DriftDetector(config: config.detector(seed: phaseSeed))
                .detect(trainX, source: train.source, against: known.map(\.name), means: known.map(\.mean), declared: declaredDomain) { i in
                    try signature(of: known[i], dimension: trainX.cols)
                }
        }
        guard let detection = found else { throw LearningError.emptyDataset(source: train.source) }
        monitor.progress(0.05)
        let domainName = resolveDomain(detection: detection, declared: declaredDomain)

        // 4–6. Grow, train the new experts, freeze them.
        var next = self
        let classes = Set(trainSet.labels)
        let domainIndex = next.registerDomain(named: domainName, classes: classes, trainX: trainX, seed: phaseSeed, phase: phaseIndex)
        var grown: [Int] = []
        timings.trainExperts = try Stopwatch.seconds {
            grown = try next.growAndTrain(domainIndex: domainIndex, nearest: detection.nearestDomain, x: trainX, y: trainSet.labels, seed: phaseSeed, monitor: monitor.stage(0.05...0.70))
        }
        if let testX, let testSet {
            next.appendHeldOut(testX, labels: testSet.labels, to: domainIndex, seed: phaseSeed)
        }
        var reservoir = try next.reservoir(of: next.domains[domainIndex], dimension: trainX.cols)
        var offerRNG = SeededRNG.derived(seed: phaseSeed, stream: 0x0FFE)
        reservoir.offer(trainX, labels: trainSet.labels, order: SeededSubsample.permutation(count: trainX.rows, rng: &offerRNG))
        next.keep(reservoir, for: domainIndex)
        let signatureBlob = next.domains[domainIndex].signature
        next.lastPhaseRows = PhaseRows(
            heldOut: LabelledRows.encode(features: testSet?.features ?? [], labels: testSet?.labels ?? []),
            heldOutCount: testSet?.count ?? 0,
            replay: LabelledRows.encode(features: reservoir.features, labels: reservoir.labels), replayCount: reservoir.count,
            signature: next.blobs.pending[signatureBlob]?.data)

        // 7. Retrain the gate on a domain-balanced sample of every domain's replay.
        var gateSteps = 0
        timings.retrainGate = try Stopwatch.seconds {
            gateSteps = try next.retrainGate(phaseDomain: domainIndex, seed: phaseSeed, monitor: monitor.stage(0.70...0.95))
        }

        // 8. Evaluate every domain on its fixed sample.
        var evaluations: [DomainEvaluation] = []
        timings.evaluate = try Stopwatch.seconds {
            evaluations = try next.evaluateAll(fully: false)
        }
        timings.total = Double(Stopwatch.now() - start) / 1e9
        monitor.progress(1)

        let report = PhaseReport(index: phaseIndex, domain: domainName, declaredDomain: declaredDomain,
                                 detection: detection, contradiction: detection.contradiction, grown: grown,
                                 trainSamples: trainSet.count, evaluations: evaluations, timings: timings, gateSteps: gateSteps)
        next.phases.append(report)
        next.accuracy.append(next.domains.map { d in evaluations.first { $0.domain == d.name }?.accuracy })
        self = next
        return report
    }

    /// The domain a dataset goes to: the declared name, else the nearest known domain when the
    /// detector says `known`, else a fresh name that no known or retired domain has.
    func resolveDomain(detection: Detection, declared: String?) -> String {
        if let declared { return declared }
        if detection.decision == .known, let nearest = detection.nearestDomain { return nearest }
        let taken = Set(domains.map(\.name) + (retired?.domains ?? []))
        var n = domains.count
        while taken.contains("domain-\(n)") { n += 1 }
        return "domain-\(n)"
    }
}
