import GroveData
import GroveLearning
import GroveStore
import Hummingbird

extension GroveAPI {
    /// `GET /v1/status`: the model's latest version and size, job counts per state and the running job.
    func status() async throws -> Response {
        let learner = await daemon.host.learner
        let version = try await daemon.store.latestModelVersion(model: model)
        let jobs = try await daemon.store.jobs(states: nil)
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, 0) })
        for job in jobs { counts[job.state.rawValue, default: 0] += 1 }
        let running = jobs.first { $0.state == .running }.map(APIJob.init)
        return try JSONBody.response(APIStatus(model: model, version: version?.number, experts: learner.model?.experts.count ?? 0,
                                               domains: learner.domains.count, jobs: counts, running: running))
    }

    /// `GET /v1/domains`: known domains in order of appearance, with the latest phase's accuracy.
    func domains() async throws -> Response {
        let (learner, labels) = await (daemon.host.learner, daemon.host.labels)
        return try JSONBody.response(Self.domains(of: learner, labels: labels))
    }

    /// `GET /v1/experts`: every expert with its lineage, oldest first.
    func experts() async throws -> Response {
        let (learner, labels) = await (daemon.host.learner, daemon.host.labels)
        return try JSONBody.response(Self.experts(of: learner, labels: labels))
    }

    // MARK: - Views of the learner

    static func domains(of learner: LifelongLearner, labels: LabelRegistry) -> [APIDomain] {
        let latest = learner.phases.last
        return learner.domains.map { domain in
            let evaluation = latest?.evaluations.first { $0.domain == domain.name }
            return APIDomain(name: domain.name, experts: domain.experts, classes: names(domain.classes.sorted(), labels: labels),
                             firstPhase: domain.firstPhase, accuracy: evaluation?.accuracy,
                             routingAccuracy: evaluation?.routingAccuracy)
        }
    }

    static func experts(of learner: LifelongLearner, labels: LabelRegistry) -> [APIExpert] {
        var createdIn: [Int: Int] = [:]
        for phase in learner.phases {
            for id in phase.grown where createdIn[id] == nil { createdIn[id] = phase.index }
        }
        return (learner.model?.experts ?? []).map { expert in
            APIExpert(id: expert.id, parent: expert.parent, domain: expert.domain, createdPhase: createdIn[expert.id],
                      frozen: expert.isFrozen, classes: names(expert.classes, labels: labels),
                      parameters: expert.shape.parameterCount)
        }
    }

    /// Label names of model-wide class indices (the index itself when a label has no name).
    static func names(_ classes: [Int32], labels: LabelRegistry) -> [String] {
        classes.map { labels.name(of: $0) ?? String($0) }
    }
}
