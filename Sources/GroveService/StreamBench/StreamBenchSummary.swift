import GroveLearning

/// The summary of a stream benchmark: how the cost of a phase and the memory grew along the
/// stream, and where quality ended. A figure whose phases the stream lacks is `null`.
public struct StreamBenchSummary: Sendable, Codable, Equatable {
    /// Wall-clock seconds of the stream: opening the daemon, the submissions and every job.
    public var totalSeconds: Double
    /// Wall-clock seconds spent writing the image subsets before the stream.
    public var prepareSeconds: Double
    /// Mean job wall time over the phases of domains 6 to 15 (phase indices 5 to 14, those the
    /// stream has).
    public var meanWallEarly: Double?
    /// Mean job wall time over the last 10 phases.
    public var meanWallLast10: Double?
    /// `meanWallLast10 / meanWallEarly`: how much dearer a phase became.
    public var wallRatio: Double?
    /// Peak resident memory once 10 domains are learned (after phase index 9), MiB.
    public var peakRSSPhase10: Double?
    /// Peak resident memory after the last phase, MiB.
    public var peakRSSEnd: Double?
    /// `peakRSSEnd / peakRSSPhase10`.
    public var peakRSSRatio: Double?
    /// Average accuracy after the last phase.
    public var finalAverageAccuracy: Double?
    /// Average forgetting after the last phase.
    public var finalAverageForgetting: Double?
    /// The lowest routing accuracy of any domain after the last phase.
    public var finalMinRoutingAccuracy: Double?
    /// The final model on every domain's whole held-out set (a phase evaluates a sample).
    public var fullEvaluation: FullEvaluation?

    /// The final model evaluated on every domain's whole held-out set.
    public struct FullEvaluation: Sendable, Codable, Equatable {
        /// Mean accuracy over the domains.
        public var averageAccuracy: Double
        /// The lowest accuracy of any domain.
        public var minAccuracy: Double
        /// The lowest routing accuracy of any domain.
        public var minRoutingAccuracy: Double
        /// Held-out samples evaluated.
        public var samples: Int
        /// Wall-clock seconds of the evaluation.
        public var seconds: Double
        /// The domains of lowest routing accuracy, lowest first (at most five).
        public var lowestRouting: [DomainRouting]

        /// Figures of a full evaluation.
        public init(averageAccuracy: Double, minAccuracy: Double, minRoutingAccuracy: Double, samples: Int, seconds: Double,
                    lowestRouting: [DomainRouting] = []) {
            self.averageAccuracy = averageAccuracy
            self.minAccuracy = minAccuracy
            self.minRoutingAccuracy = minRoutingAccuracy
            self.samples = samples
            self.seconds = seconds
            self.lowestRouting = lowestRouting
        }

        /// The figures of `evaluations` (one per domain) that took `seconds`; nil without domains.
        init?(_ evaluations: [DomainEvaluation], seconds: Double) {
            guard !evaluations.isEmpty else { return nil }
            self.init(
                averageAccuracy: evaluations.map(\.accuracy).reduce(0, +) / Double(evaluations.count),
                minAccuracy: evaluations.map(\.accuracy).min() ?? 0, minRoutingAccuracy: evaluations.map(\.routingAccuracy).min() ?? 0,
                samples: evaluations.map(\.samples).reduce(0, +), seconds: seconds,
                lowestRouting: evaluations.sorted { $0.routingAccuracy < $1.routingAccuracy }.prefix(5)
                    .map { DomainRouting(domain: $0.domain, routingAccuracy: $0.routingAccuracy) })
        }

        enum CodingKeys: String, CodingKey {
            case samples
            case averageAccuracy = "average_accuracy"
            case minAccuracy = "min_accuracy"
            case minRoutingAccuracy = "min_routing_accuracy"
            case seconds = "seconds"
            case lowestRouting = "lowest_routing"
        }
    }

    /// One domain's routing accuracy in the full evaluation.
    public struct DomainRouting: Sendable, Codable, Equatable {
        /// The domain's name.
        public var domain: String
        /// The share of its held-out rows whose first choice is one of its own experts.
        public var routingAccuracy: Double

        /// A domain's routing figure.
        public init(domain: String, routingAccuracy: Double) {
            self.domain = domain
            self.routingAccuracy = routingAccuracy
        }

        enum CodingKeys: String, CodingKey {
            case domain
            case routingAccuracy = "routing_accuracy"
        }
    }

    enum CodingKeys: String, CodingKey {
        case totalSeconds = "total_s"
        case prepareSeconds = "prepare_s"
        case meanWallEarly = "mean_wall_s_domains_6_15"
        case meanWallLast10 = "mean_wall_s_last_10"
        case wallRatio = "wall_ratio_last_10_to_6_15"
        case peakRSSPhase10 = "peak_rss_mb_10_domains"
        case peakRSSEnd = "peak_rss_mb_end"
        case peakRSSRatio = "peak_rss_ratio_end_to_10_domains"
        case finalAverageAccuracy = "final_average_accuracy"
        case finalAverageForgetting = "final_average_forgetting"
        case finalMinRoutingAccuracy = "final_min_routing_accuracy"
        case fullEvaluation = "final_full_evaluation"
    }

    /// The summary of `phases` (in stream order).
    public init(phases: [StreamBenchPhase], totalSeconds: Double, prepareSeconds: Double, fullEvaluation: FullEvaluation? = nil) {
        func mean(_ values: [Double]) -> Double? {
            values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        func ratio(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, b > 0 else { return nil }
            return a / b
        }
        self.totalSeconds = totalSeconds
        self.prepareSeconds = prepareSeconds
        meanWallEarly = mean(phases.filter { (5 ... 14).contains($0.phase) }.map(\.wallSeconds))
        meanWallLast10 = mean(phases.suffix(10).map(\.wallSeconds))
        wallRatio = ratio(meanWallLast10, meanWallEarly)
        peakRSSPhase10 = phases.first { $0.phase == 9 }?.peakRSSMB
        peakRSSEnd = phases.last?.peakRSSMB
        peakRSSRatio = ratio(peakRSSEnd, peakRSSPhase10)
        finalAverageAccuracy = phases.last?.averageAccuracy
        finalAverageForgetting = phases.last?.averageForgetting
        finalMinRoutingAccuracy = phases.last?.minRoutingAccuracy
        self.fullEvaluation = fullEvaluation
    }

    /// Encodes every key, missing figures as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(totalSeconds, forKey: .totalSeconds)
        try c.encode(prepareSeconds, forKey: .prepareSeconds)
        try c.encode(meanWallEarly, forKey: .meanWallEarly)
        try c.encode(meanWallLast10, forKey: .meanWallLast10)
        try c.encode(wallRatio, forKey: .wallRatio)
        try c.encode(peakRSSPhase10, forKey: .peakRSSPhase10)
        try c.encode(peakRSSEnd, forKey: .peakRSSEnd)
        try c.encode(peakRSSRatio, forKey: .peakRSSRatio)
        try c.encode(finalAverageAccuracy, forKey: .finalAverageAccuracy)
        try c.encode(finalAverageForgetting, forKey: .finalAverageForgetting)
        try c.encode(finalMinRoutingAccuracy, forKey: .finalMinRoutingAccuracy)
        try c.encode(fullEvaluation, forKey: .fullEvaluation)
    }
}
