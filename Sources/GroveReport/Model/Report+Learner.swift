import Foundation
import GroveLearning
import GroveModel

extension Report {
    /// Builds the report of a learner's whole history.
    ///
    /// Per domain it takes the latest phase's evaluation (accuracy, routing accuracy, loss), the
    /// best accuracy over the accuracy matrix and the detection of the phase the domain first
    /// appeared in; per expert, its lineage, the phase whose `grown` list holds it, and its
    /// share of each domain's routing in the latest phase.
    /// - Parameters:
    ///   - learner: a learner that learned every phase itself (none gives an empty report). A
    ///     restored learner holds only the phases since its restore; the store's rows hold the
    ///     rest, and the service builds its reports from them.
    ///   - model: the model's name, e.g. `default`.
    ///   - generatedAt: the report's timestamp.
    ///   - jobs: the job id of each phase by phase index, when the phases came from a queue.
    public init(learner: LifelongLearner, model: String, generatedAt: Date = Date(), jobs: [Int: Int] = [:]) {
        let phases = learner.phases.map { Self.phase($0, job: jobs[$0.index]) }
        let latest = learner.phases.last
        let domains = learner.domains.map { state in
            let evaluation = latest?.evaluations.first { $0.domain == state.name }
            let first = learner.phases.first { $0.index == state.firstPhase }
            return ReportDomain(
                name: state.name, firstPhase: state.firstPhase, samples: state.heldOut.count, experts: state.experts,
                classes: state.classes.map(Int.init).sorted(), accuracy: evaluation?.accuracy, bestAccuracy: nil, bestPhase: nil,
                drop: nil, routingAccuracy: evaluation?.routingAccuracy, loss: evaluation?.loss,
                detection: first.map { Self.detection($0.detection) })
        }
        var createdIn: [Int: Int] = [:]
        for phase in learner.phases {
            for id in phase.grown where createdIn[id] == nil { createdIn[id] = phase.index }
        }
        let experts = (learner.model?.experts ?? []).map { expert in
            var load: [String: Double] = [:]
            for evaluation in latest?.evaluations ?? [] {
                if let share = evaluation.expertLoad[expert.id], share > 0 { load[evaluation.domain] = Self.fraction(share) }
            }
            return ReportExpert(
                id: expert.id, parent: expert.parent, domain: expert.domain, createdPhase: createdIn[expert.id],
                frozen: expert.isFrozen, parameters: expert.shape.parameterCount, hidden: expert.shape.hidden,
                classes: expert.classes.map(Int.init), load: load)
        }
        let matrix = learner.accuracy.map { row in
            (0..<learner.domains.count).map { j in j < row.count ? row[j] : nil }
        }
        self.init(model: model, generatedAt: generatedAt, phases: phases, domains: domains, experts: experts, accuracyMatrix: matrix)
    }

    // MARK: - Conversions

    /// The report form of one phase.
    static func phase(_ p: PhaseReport, job: Int?) -> ReportPhase {
        var accuracy: [String: Double] = [:]
        var routing: [String: Double] = [:]
        for e in p.evaluations {
            accuracy[e.domain] = fraction(e.accuracy)
            routing[e.domain] = fraction(e.routingAccuracy)
        }
        let t = p.timings
        return ReportPhase(
            index: p.index, job: job, domain: p.domain, declaredDomain: p.declaredDomain,
            detection: detection(p.detection), contradiction: p.contradiction, grown: p.grown,
            trainSamples: p.trainSamples, accuracy: accuracy, routingAccuracy: routing,
            timings: ReportTimings(detect: t.detect, trainExperts: t.trainExperts, retrainGate: t.retrainGate,
                                   evaluate: t.evaluate, total: t.total))
    }

    /// The report form of a detection.
    static func detection(_ d: Detection) -> ReportDetection {
        ReportDetection(decision: d.decision.rawValue, nearestDomain: d.nearestDomain, statistic: d.statistic,
                        pValue: d.pValue, significance: d.significance,
                        evidence: d.evidence.map { ReportEvidence(domain: $0.name, statistic: $0.statistic, pValue: $0.pValue) })
    }
}
