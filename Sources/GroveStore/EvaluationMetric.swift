import GRDB

/// What an evaluation row (``EvaluationRecord``) measures. The raw values are what the
/// `evaluations` table holds.
public enum EvaluationMetric: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Share of held-out rows whose most probable class is right.
    case accuracy
    /// Mean `−log p(y|x)` over the held-out rows.
    case loss
    /// Share of held-out rows whose first-choice expert belongs to their domain.
    case routingAccuracy = "routing_accuracy"
    /// Share of a domain's top-k assignments that went to one expert (the row names it).
    case loadShare = "load_share"
}
