import Foundation
import GroveLearning

/// What a report states about one domain besides its column of the accuracy matrix: the
/// learner's memory or the store's rows give it alike.
public struct ReportDomainFacts: Sendable, Equatable {
    /// The domain's name.
    public var name: String
    /// The phase that first learned it.
    public var firstPhase: Int
    /// Its held-out samples.
    public var samples: Int
    /// Its experts' ids, oldest first.
    public var experts: [Int]
    /// The classes it has shown, sorted.
    public var classes: [Int]
    /// The latest phase's accuracy, routing accuracy and loss on it, if it evaluated it.
    public var accuracy: Double?
    public var routingAccuracy: Double?
    public var loss: Double?
    /// The detection of its first phase.
    public var detection: ReportDetection?

    /// Facts of one domain.
    public init(name: String, firstPhase: Int, samples: Int, experts: [Int], classes: [Int], accuracy: Double?,
                routingAccuracy: Double?, loss: Double?, detection: ReportDetection?) {
        self.name = name
        self.firstPhase = firstPhase
        self.samples = samples
        self.experts = experts
        self.classes = classes
        self.accuracy = accuracy
        self.routingAccuracy = routingAccuracy
        self.loss = loss
        self.detection = detection
    }
}

extension Report {
    /// Assembles a report from its parts: each domain's best accuracy and drop come from its
    /// column of `accuracyMatrix` (rows are phases), and the continual-learning metrics from the
    /// whole matrix with each domain's first phase. Accuracies are clamped into [0, 1].
    public init(model: String, generatedAt: Date, phases: [ReportPhase], domains facts: [ReportDomainFacts],
                experts: [ReportExpert], accuracyMatrix: [[Double?]]) {
        let matrix = accuracyMatrix.map { row in (0..<facts.count).map { j in j < row.count ? row[j].map(Self.fraction) : nil } }
        let domains = facts.enumerated().map { j, fact in
            let column = matrix.enumerated().compactMap { i, row in row[j].map { (phase: i, value: $0) } }
            let best = column.max { a, b in a.value < b.value || (a.value == b.value && a.phase > b.phase) }
            let current = fact.accuracy.map(Self.fraction)
            return ReportDomain(
                name: fact.name, firstPhase: fact.firstPhase, samples: fact.samples, experts: fact.experts, classes: fact.classes,
                accuracy: current, bestAccuracy: best?.value, bestPhase: best?.phase,
                drop: best.flatMap { b in current.map { max(0, b.value - $0) } },
                routingAccuracy: fact.routingAccuracy.map(Self.fraction), loss: fact.loss, detection: fact.detection)
        }
        let metrics = ContinualMetrics(accuracy: accuracyMatrix, learnedAt: facts.map(\.firstPhase)).map {
            ReportMetrics(lastPhase: $0.lastPhase, averageAccuracy: $0.averageAccuracy, averageForgetting: $0.averageForgetting,
                          backwardTransfer: $0.backwardTransfer, forwardTransfer: $0.forwardTransfer)
        }
        self.init(model: model, generatedAt: Self.timestamp(generatedAt), phases: phases, domains: domains,
                  experts: experts, metrics: metrics, accuracyMatrix: matrix)
    }

    /// Clamps a share into [0, 1] (and NaN to 0), so that the contract's range always holds.
    public static func fraction(_ value: Double) -> Double {
        value.isNaN ? 0 : min(1, max(0, value))
    }
}
