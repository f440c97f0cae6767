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
        for (i, domain) in manifest.domains.enumerated() {
            let data = try domain.materialize(registry: &registry, expectedDimension: learner.model?.inputs)
            var train = data.train
            if let cap = maxTrainSamples, train.count > cap {
                var rng = SeededRNG.derived(seed: config.seed, stream: UInt64(1000 + i))
                var order = Array(0..<train.count)
                order.shuffle(using: &rng)
                train = train.subset(Array(order.prefix(cap)).sorted())
            }
            let report = try learner.learn(train: train, test: data.test, declaredDomain: domain.name)
            onPhase(report, learner)
        }
        return learner
    }
}
