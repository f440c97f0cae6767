/// The JSON object of `grove bench --stream`: settings, one record per phase and a summary.
/// Key names are a contract, listed in the README under `grove bench --stream`.
public struct StreamBenchReport: Sendable, Codable, Equatable {
    /// How the stream was made and where it ran.
    public var settings: StreamBenchSettings
    /// One record per phase, in stream order.
    public var phases: [StreamBenchPhase]
    /// Totals, growth ratios and the final quality.
    public var summary: StreamBenchSummary
}

/// The settings of a stream benchmark.
public struct StreamBenchSettings: Sendable, Codable, Equatable {
    /// The stream's kind (`permuted`).
    public var stream: String
    /// Domains in the stream.
    public var domains: Int
    /// Training images per domain.
    public var samples: Int
    /// Held-out images per domain.
    public var testSamples: Int
    /// Chooses the image subsets; also the learner's seed.
    public var seed: UInt64
    /// The kernels OpenBLAS runs on this CPU.
    public var blasCore: String
    /// OpenBLAS's thread count.
    public var blasThreads: Int
    /// Whether the peak resident size was reset after the data was prepared, so that
    /// `peak_rss_mb` covers the stream alone (false: it includes reading Fashion-MNIST).
    public var peakRSSReset: Bool

    enum CodingKeys: String, CodingKey {
        case stream, domains, samples, seed
        case testSamples = "test_samples"
        case blasCore = "blas_core"
        case blasThreads = "blas_threads"
        case peakRSSReset = "peak_rss_reset"
    }
}

/// What one phase cost and how the model stood after it. Seconds are wall-clock; memory is
/// the benchmark process's, which hosts the daemon's machinery.
public struct StreamBenchPhase: Sendable, Codable, Equatable {
    /// Position in the stream, from 0.
    public var phase: Int
    /// The domain the phase learned.
    public var domain: String
    /// The learner's distribution test.
    public var detectSeconds: Double
    /// Training the new experts.
    public var expertsSeconds: Double
    /// Retraining the gate.
    public var gateSeconds: Double
    /// Steps the gate retraining ran before its budget or early stop ended it.
    public var gateSteps: Int
    /// Evaluating every known domain.
    public var evaluateSeconds: Double
    /// The learner's whole phase.
    public var learnSeconds: Double
    /// The job's wall time minus the learner's: reading the dataset, building and writing the commit.
    public var otherSeconds: Double
    /// Committing the phase to the store, when measured (else `null`).
    public var commitSeconds: Double?
    /// The whole job.
    public var wallSeconds: Double
    /// Resident memory after the phase, MiB (`null` where unknown).
    public var rssMB: Double?
    /// Peak resident memory so far, MiB (`null` where unknown).
    public var peakRSSMB: Double?
    /// Mean accuracy over the domains seen so far.
    public var averageAccuracy: Double
    /// Mean forgetting of the domains learned before this phase.
    public var averageForgetting: Double
    /// The lowest routing accuracy of any known domain.
    public var minRoutingAccuracy: Double

    enum CodingKeys: String, CodingKey {
        case phase, domain
        case detectSeconds = "detect_s"
        case expertsSeconds = "experts_s"
        case gateSeconds = "gate_s"
        case gateSteps = "gate_steps"
        case evaluateSeconds = "evaluate_s"
        case learnSeconds = "learn_s"
        case otherSeconds = "other_s"
        case commitSeconds = "commit_s"
        case wallSeconds = "wall_s"
        case rssMB = "rss_mb"
        case peakRSSMB = "peak_rss_mb"
        case averageAccuracy = "average_accuracy"
        case averageForgetting = "average_forgetting"
        case minRoutingAccuracy = "min_routing_accuracy"
    }

    /// Encodes every key, unknown values as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(phase, forKey: .phase)
        try c.encode(domain, forKey: .domain)
        try c.encode(detectSeconds, forKey: .detectSeconds)
        try c.encode(expertsSeconds, forKey: .expertsSeconds)
        try c.encode(gateSeconds, forKey: .gateSeconds)
        try c.encode(gateSteps, forKey: .gateSteps)
        try c.encode(evaluateSeconds, forKey: .evaluateSeconds)
        try c.encode(learnSeconds, forKey: .learnSeconds)
        try c.encode(otherSeconds, forKey: .otherSeconds)
        try c.encode(commitSeconds, forKey: .commitSeconds)
        try c.encode(wallSeconds, forKey: .wallSeconds)
        try c.encode(rssMB, forKey: .rssMB)
        try c.encode(peakRSSMB, forKey: .peakRSSMB)
        try c.encode(averageAccuracy, forKey: .averageAccuracy)
        try c.encode(averageForgetting, forKey: .averageForgetting)
        try c.encode(minRoutingAccuracy, forKey: .minRoutingAccuracy)
    }
}
