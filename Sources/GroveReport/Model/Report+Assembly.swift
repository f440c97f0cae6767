import Foundation
import GroveLearning

extension Report {
    /// Assembles a report from its parts. Each domain's best accuracy, its phase and the drop
    /// since are computed here from its column of `accuracyMatrix` (rows are phases; whatever
    /// `domains` says of them is replaced), and the continual-learning metrics from the whole
    /// matrix with each domain's first phase. Accuracies are clamped into [0, 1].
    public init(model: String, generatedAt: Date, phases: [ReportPhase], domains given: [ReportDomain],
                experts: [ReportExpert], accuracyMatrix: [[Double?]]) {
        let matrix = accuracyMatrix.map { row in (0..<given.count).map { j in j < row.count ? row[j].map(Self.fraction) : nil } }
        let domains = given.enumerated().map { j, domain in
            let column = matrix.enumerated().compactMap { i, row in row[j].map { (phase: i, value: $0) } }
            let best = column.max { a, b in a.value < b.value || (a.value == b.value && a.phase > b.phase) }
            var domain = domain
            domain.accuracy = domain.accuracy.map(Self.fraction)
            domain.routingAccuracy = domain.routingAccuracy.map(Self.fraction)
            domain.bestAccuracy = best?.value
            domain.bestPhase = best?.phase
            domain.drop = best.flatMap { b in domain.accuracy.map { max(0, b.value - $0) } }
            return domain
        }
        let metrics = ContinualMetrics(accuracy: accuracyMatrix, learnedAt: given.map(\.firstPhase)).map {
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
