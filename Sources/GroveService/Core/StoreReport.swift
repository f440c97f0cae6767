import Foundation
import GroveLearning
import GroveModel
import GroveReport
import GroveStore

/// Builds a model's report from the store's rows alone, so that every worker sharing a store
/// (and a read-only CLI) reports the same history, whatever its models hold in memory.
///
/// Phase n is the phase that committed version n + 1: its domain, detection with evidence and
/// significance, contradiction (its `contradiction` event), grown experts, training samples,
/// timings and evaluations. A domain's held-out samples are the sum of its held-out splits;
/// its classes those its experts answer; an expert's load the latest version's load shares.
enum StoreReport {
    /// The report of `model` as of its latest version.
    /// - Throws: a `StoreError`.
    static func build(model: String, from store: any Store, generatedAt: Date = Date()) async throws -> Report {
        let versions = try await store.modelVersions(model: model)
        let domainRows = try await store.domains(model: model)
        let names = Dictionary(uniqueKeysWithValues: domainRows.map { ($0.id, $0.name) })
        let restored = ModelVersionRecord.restoredVersions(versions)
        // The experts that serve (the latest version's line), and with them every expert ever
        // grown: those of the versions each rollback left, which their phases still name.
        let experts = try await store.experts(model: model, version: nil)
        var grownByID = Dictionary(uniqueKeysWithValues: experts.map { ($0.id, $0) })
        for rollback in restored.keys {
            for expert in try await store.experts(model: model, version: rollback - 1) { grownByID[expert.id] = expert }
        }
        let allExperts = grownByID.values.sorted { $0.id < $1.id }
        let numbers = grownByID.mapValues(\.number)
        let datasets = Dictionary(try await store.datasets(model: model).map { ($0.jobID, $0) }, uniquingKeysWith: { a, _ in a })
        var heldOut: [Int64: Int] = [:]
        for split in try await store.heldOutSplits(model: model) { heldOut[split.domainID, default: 0] += split.sampleCount }
        let phaseOfVersion = Dictionary(uniqueKeysWithValues: versions.map { ($0.id, $0.number - 1) })

        var phases: [ReportPhase] = []
        var evaluationsOfVersion: [Int: [EvaluationRecord]] = [:]
        for version in versions {
            let rows = try await store.evaluations(model: model, version: version.number)
            evaluationsOfVersion[version.number] = rows
            var phase = try await phase(of: version, evaluations: rows, store: store, names: names, experts: allExperts,
                                        datasets: datasets)
            if let target = restored[version.number] {
                phase.rolledBackTo = target
                phase.detection = ReportDetection(decision: "rollback", nearestDomain: nil, statistic: nil, pValue: nil,
                                                  significance: phase.detection.significance, evidence: [])
            }
            phases.append(phase)
        }

        let latest = versions.last.flatMap { evaluationsOfVersion[$0.number] } ?? []
        func latestValue(_ metric: EvaluationMetric, domain: Int64) -> Double? {
            latest.first { $0.metric == metric && $0.domainID == domain && $0.expertID == nil }?.value
        }
        let domains = domainRows.map { domain in
            let own = experts.filter { $0.domainID == domain.id }
            let firstPhase = versions.first { $0.domainID == domain.id }.map { $0.number - 1 } ?? 0
            return ReportDomain(
                name: domain.name, firstPhase: firstPhase, samples: heldOut[domain.id] ?? 0, experts: own.map(\.number),
                classes: Array(Set(own.flatMap(\.classes))).sorted(), accuracy: latestValue(.accuracy, domain: domain.id),
                bestAccuracy: nil, bestPhase: nil, drop: nil, routingAccuracy: latestValue(.routingAccuracy, domain: domain.id),
                loss: latestValue(.loss, domain: domain.id), detection: phases.indices.contains(firstPhase) ? phases[firstPhase].detection : nil)
        }
        let reportExperts = experts.map { expert in
            var load: [String: Double] = [:]
            for row in latest where row.metric == .loadShare && row.expertID == expert.id && row.value > 0 {
                if let name = names[row.domainID] { load[name] = Report.fraction(row.value) }
            }
            let shape = ExpertShape(inputs: expert.inputDimension, hidden: expert.hiddenDimension, outputs: expert.outputDimension)
            return ReportExpert(
                id: expert.number, parent: expert.parentID.flatMap { numbers[$0] }, domain: names[expert.domainID],
                createdPhase: phaseOfVersion[expert.createdVersionID], frozen: expert.isFrozen,
                parameters: shape.parameterCount, hidden: expert.hiddenDimension, classes: expert.classes, load: load)
        }
        let matrix = try await store.accuracyMatrix(model: model, metric: .accuracy)
        var report = Report(model: model, generatedAt: generatedAt, phases: phases, domains: domains, experts: reportExperts,
                            accuracyMatrix: matrix.values)
        report.drift = try await drift(model: model, from: store, names: names, numbers: Dictionary(uniqueKeysWithValues: versions.map { ($0.id, $0.number) }))
        return report
    }

    /// The watch's latest windows and every drift event, or nil when it tested nothing.
    private static func drift(model: String, from store: any Store, names: [Int64: String], numbers: [Int64: Int]) async throws -> ReportDrift? {
        let windows = try await store.driftWindows(model: model, before: nil, limit: ReportDrift.maxWindows)
        let events = try await store.driftEvents(model: model)
        guard !windows.isEmpty || !events.isEmpty else { return nil }
        return ReportDrift(
            windows: windows.reversed().map { w in
                ReportDrift.Window(id: w.id, testedAt: Report.timestamp(w.testedAt), version: numbers[w.modelVersionID] ?? 0, rows: w.rowCount,
                                   pValue: w.pValue, fits: w.fits, nearestDomain: w.nearestDomainID.flatMap { names[$0] },
                                   medianNovelty: w.medianNovelty)
            },
            events: events.map { e in
                ReportDrift.Event(id: e.id, detectedAt: Report.timestamp(e.detectedAt), version: numbers[e.modelVersionID] ?? 0,
                                  firstWindow: e.firstWindowID, lastWindow: e.lastWindowID, rows: e.candidateRows,
                                  nearestDomain: e.nearestDomainID.flatMap { names[$0] }, pValue: e.pValue)
            })
    }

    /// The report form of the phase that committed `version`.
    private static func phase(of version: ModelVersionRecord, evaluations: [EvaluationRecord], store: any Store,
                              names: [Int64: String], experts: [ExpertRecord], datasets: [Int64: DatasetRecord]) async throws -> ReportPhase {
        let detection = try await version.jobID.asyncFlatMap { try await store.detection(jobID: $0) }
        let evidence = try await detection.asyncMap { try await store.detectionEvidence(detectionID: $0.id) } ?? []
        let events = try await version.jobID.asyncMap { try await store.events(jobID: $0, limit: 1_000) } ?? []
        let contradiction = events.last { $0.kind == .contradiction && $0.modelVersionID == version.id }?.message
        var accuracy: [String: Double] = [:]
        var routing: [String: Double] = [:]
        for row in evaluations where row.expertID == nil {
            guard let name = names[row.domainID] else { continue }
            if row.metric == .accuracy { accuracy[name] = Report.fraction(row.value) }
            if row.metric == .routingAccuracy { routing[name] = Report.fraction(row.value) }
        }
        let reportDetection = ReportDetection(
            decision: detection?.decision.rawValue ?? "new",
            nearestDomain: detection?.nearestDomainID.flatMap { names[$0] }, statistic: detection?.statistic,
            pValue: detection?.pValue, significance: detection?.significance ?? DriftDetectorConfig().significance,
            evidence: evidence.compactMap { row in names[row.domainID].map { ReportEvidence(domain: $0, statistic: row.statistic, pValue: row.pValue) } })
        return ReportPhase(
            index: version.number - 1, job: version.jobID.map(Int.init), domain: names[version.domainID] ?? "",
            declaredDomain: detection?.declaredDomain, detection: reportDetection, contradiction: contradiction,
            grown: experts.filter { $0.createdVersionID == version.id }.map(\.number),
            trainSamples: version.jobID.flatMap { datasets[$0]?.trainCount } ?? 0,
            accuracy: accuracy, routingAccuracy: routing,
            timings: ReportTimings(detect: version.detectSeconds ?? 0, trainExperts: version.trainExpertsSeconds ?? 0,
                                   retrainGate: version.retrainGateSeconds ?? 0, evaluate: version.evaluateSeconds ?? 0,
                                   total: version.phaseSeconds ?? 0))
    }
}
