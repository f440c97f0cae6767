import GroveData
import GroveModel
import GroveNumerics

/// Runs a whole stream (a job manifest) through a `LifelongLearner`, one phase per domain.
public struct StreamRunner: Sendable {
    /// The stream.
    public let manifest: JobManifest
    /// Learner settings.
    public let config: LifelongConfig
    /// Keep at most this many training samples per domain (seeded choice), for quick runs.
    public let maxTrainSamples: Int?

    /// A runner for `manifest`.
    public init(manifest: JobManifest, config: LifelongConfig = LifelongConfig(), maxTrainSamples: Int? = nil) {
        self.manifest = manifest
        self.config = config
        self.maxTrainSamples = maxTrainSamples
    }

    /// Learns every domain in order, calling `onPhase` after each phase.
    /// - Returns: the learner after the last phase.
    public func run(onPhase: (PhaseReport, LifelongLearner) -> Void = { _, _ in }) throws -> LifelongLearner {
        var learner = LifelongLearner(config: config)
        var registry = LabelRegistry()
        var columns: [String]?
        for (i, domain) in manifest.domains.enumerated() {
            let data = try domain.materialize(registry: &registry, columns: &columns, expectedDimension: learner.model?.inputs)
            let train = maxTrainSamples.map { data.train.seededSample(count: $0, seed: config.seed &+ UInt64(i)) } ?? data.train
            let report = try learner.learn(train: train, test: data.test, declaredDomain: domain.name)
            onPhase(report, learner)
        }
        return learner
    }
}

extension Dataset {
    /// At most `count` samples chosen uniformly with a seeded shuffle, in their original order.
    public func seededSample(count limit: Int, seed: UInt64) -> Dataset {
        guard count > limit else { return self }
        var rng = SeededRNG.derived(seed: seed, stream: 0x5A4D)
        var order = Array(0..<count)
        order.shuffle(using: &rng)
        return subset(Array(order.prefix(limit)).sorted())
    }
}
