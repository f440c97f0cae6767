import Foundation

/// Everything a report of per-domain expert performance shows, as a plain value.
///
/// A `Report` is built once from a learner (``init(learner:model:generatedAt:)``) or decoded
/// from its JSON, and every renderer (``ReportFormat``) reads only this value, so that the
/// terminal table, the Markdown, the JSON and the HTML page always agree. It answers the
/// questions a user asks after a stream: how well each domain does now and did over time
/// (``domains``, ``accuracyMatrix``), what was forgotten (``metrics``), which experts serve
/// which domain and where each came from (``experts``), and why the service grew
/// (``phases``, each with its detection evidence).
///
/// Its JSON form (snake_case keys, `null` for absent values) is a contract (schemas/report.schema.json)
/// and is described by `schemas/report.schema.json`. Every accuracy is a fraction in [0, 1].
///
/// ```swift
/// let report = Report(learner: learner, model: "default")
/// print(try report.render(.table, colour: isatty(1) != 0))
/// ```
///
/// ## Topics
/// - ``phases``
/// - ``domains``
/// - ``experts``
/// - ``metrics``
/// - ``accuracyMatrix``
/// - ``render(_:colour:)``
public struct Report: Sendable, Codable, Equatable {
    /// The model's name (e.g. `default`).
    public var model: String
    /// When the report was made, ISO 8601 in UTC (e.g. `2025-01-31T12:00:00Z`).
    public var generatedAt: String
    /// Every phase, oldest first.
    public var phases: [ReportPhase]
    /// Every known domain, in order of appearance (the columns of ``accuracyMatrix``).
    public var domains: [ReportDomain]
    /// Every expert, in gate-row order.
    public var experts: [ReportExpert]
    /// Continual-learning summaries over the latest phase; `nil` before the first phase.
    public var metrics: ReportMetrics?
    /// `accuracyMatrix[i][j]`: accuracy on domain `j` (``domains`` order) after phase `i`,
    /// `nil` before domain `j` appeared. One row per phase.
    public var accuracyMatrix: [[Double?]]
    /// What the watch on the model's prediction inputs found; `nil` when it tested nothing
    /// (and in reports made from a learner, which has no prediction traffic).
    public var drift: ReportDrift?

    /// A report from its parts; accuracies are fractions in [0, 1].
    public init(model: String, generatedAt: String, phases: [ReportPhase], domains: [ReportDomain],
                experts: [ReportExpert], metrics: ReportMetrics?, accuracyMatrix: [[Double?]], drift: ReportDrift? = nil) {
        self.drift = drift
        self.model = model
        self.generatedAt = generatedAt
        self.phases = phases
        self.domains = domains
        self.experts = experts
        self.metrics = metrics
        self.accuracyMatrix = accuracyMatrix
    }

    enum CodingKeys: String, CodingKey {
        case model
        case generatedAt = "generated_at"
        case phases, domains, experts, metrics
        case accuracyMatrix = "accuracy_matrix"
        case drift
    }

    /// Encodes every key, with `null` for absent values, as the JSON contract asks.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(generatedAt, forKey: .generatedAt)
        try c.encode(phases, forKey: .phases)
        try c.encode(domains, forKey: .domains)
        try c.encode(experts, forKey: .experts)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(accuracyMatrix, forKey: .accuracyMatrix)
        try c.encode(drift, forKey: .drift)
    }

    // MARK: - Derived views

    /// The latest phase, if any.
    public var latestPhase: ReportPhase? { phases.last }

    /// The expert with `id`, if any.
    public func expert(id: Int) -> ReportExpert? {
        experts.first { $0.id == id }
    }

    /// Formats a date as the report's ISO 8601 UTC timestamp (whole seconds).
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
