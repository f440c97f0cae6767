import Foundation
import GroveData
import GroveLearning
import GroveModel
import GroveNumerics
import GroveStore

/// Turns a learned phase into the store's `PhaseCommit`: the relational rows (experts with
/// lineage, detection, evaluations, replay, events) and the learner snapshot.
struct PhaseCommitBuilder: Sendable {
    let store: any Store

    /// The commit of a learned phase and the snapshot document it stores, with the model's
    /// `labels` and feature names (`features`). Blobs that `previous`, the snapshot of the
    /// latest committed version, already names and that did not change are not handed over again.
    func build(job: JobRecord, spec: DatasetSpec, learner: LifelongLearner, report: PhaseReport, labels: LabelRegistry,
               features: [String]?, since previous: LearnerSnapshot?) async throws -> (commit: PhaseCommit, snapshot: LearnerSnapshot) {
        guard let model = learner.model, let domain = learner.domains.first(where: { $0.name == report.domain }),
              let rows = learner.lastPhaseRows,
              let (document, blobs) = learner.snapshot(labels: labels, features: features, since: previous) else {
            throw ServiceError.badSpec(job: job.id, reason: "the phase produced no model")
        }
        // Stored experts by number, the learner's expert id.
        let stored = try await store.experts(model: job.model, version: nil)
        let storeID = Dictionary(stored.map { ($0.number, $0.id) }, uniquingKeysWith: { a, _ in a })
        let newIDs = Set(report.grown)
        let grown = model.experts.filter { newIDs.contains($0.id) }
        func reference(_ learnerID: Int?) -> ExpertReference? {
            guard let learnerID else { return nil }
            if let index = grown.firstIndex(where: { $0.id == learnerID }) { return .new(index) }
            return storeID[learnerID].map { .stored($0) }
        }
        // The relational rows hand over the snapshot's own bytes, so the store hashes each once.
        func snapshotBytes(_ sha: String?, else encode: () -> Data) -> Data {
            sha.flatMap { blobs[$0]?.data } ?? encode()
        }
        let experts = grown.map { e in
            PhaseCommit.Expert(parent: reference(e.parent), hiddenDimension: e.shape.hidden, classes: e.classes.map(Int.init),
                               weights: snapshotBytes(document.experts.first { $0.id == e.id }?.blob) { FloatCoding.data(e.parameters) },
                               checksum: e.checksum, frozen: e.isFrozen, number: e.id)
        }
        var evaluations: [PhaseCommit.Evaluation] = []
        for e in report.evaluations {
            evaluations.append(.init(domain: e.domain, metric: .accuracy, value: e.accuracy, sampleCount: e.samples))
            evaluations.append(.init(domain: e.domain, metric: .loss, value: e.loss, sampleCount: e.samples))
            evaluations.append(.init(domain: e.domain, metric: .routingAccuracy, value: e.routingAccuracy, sampleCount: e.samples))
            for (expertID, share) in e.expertLoad.sorted(by: { $0.key < $1.key }) {
                guard let ref = reference(expertID) else { continue }
                evaluations.append(.init(domain: e.domain, metric: .loadShare, expert: ref, value: share, sampleCount: e.samples))
            }
        }
        let d = report.detection
        let kinds: [String: BlobKind] = ["weights": .weights, "gate": .gate, "signature": .signature, "split": .split, "replay": .replay]
        let parts = blobs.values.map { (data: $0.data, kind: kinds[$0.kind] ?? .other) }
        let commit = PhaseCommit(
            jobID: job.id, inputDimension: model.inputs, labels: labels.names.map { $0 ?? "" },
            domain: .init(name: domain.name, signature: rows.signature),
            dataset: .init(format: spec.source.format.rawValue, featureCount: model.inputs, classCount: domain.classes.count,
                           trainCount: report.trainSamples, testCount: rows.heldOutCount,
                           splitSeed: learner.config.seed, heldOut: rows.heldOut),
            detection: .init(decision: d.decision == .new ? .new : .known, nearestDomain: d.nearestDomain,
                             statistic: d.statistic, pValue: d.pValue, contradictsDeclaration: d.contradiction != nil,
                             significance: d.significance,
                             evidence: d.evidence.map { .init(domain: $0.name, statistic: $0.statistic, pValue: $0.pValue) }),
            gate: .init(parameters: snapshotBytes(document.gate.blob) { FloatCoding.data(model.gate.parameters) }, hiddenDimension: model.gate.hidden, topK: model.config.topK),
            experts: experts, evaluations: evaluations,
            replay: [.init(domain: domain.name, samples: rows.replay, sampleCount: rows.replayCount)],
            events: [.init(kind: .phase, message: "phase \(report.index): domain '\(report.domain)' \(d.decision.rawValue), grew \(report.grown.count) expert(s)")]
                + (d.contradiction.map { [.init(kind: .contradiction, message: $0)] } ?? []),
            snapshot: .init(document: try document.encodedDocument(), blobs: parts),
            timings: .init(detect: report.timings.detect, trainExperts: report.timings.trainExperts,
                           retrainGate: report.timings.retrainGate, evaluate: report.timings.evaluate,
                           total: report.timings.total, gateSteps: report.gateSteps))
        return (commit, document)
    }
}
