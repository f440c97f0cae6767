import Foundation

/// Whether a dataset comes from a distribution the model already knows.
public enum DetectionDecision: String, Sendable, Codable, Equatable, CaseIterable {
    /// No known domain is consistent with the data: grow experts for a new domain.
    case new
    /// The nearest known domain is consistent with the data.
    case known
}

/// The two-sample test of a dataset against one known domain.
public struct DomainEvidence: Sendable, Codable, Equatable {
    /// The domain's name.
    public var name: String
    /// The unbiased MMD² between the dataset and the domain's signature.
    public var statistic: Double
    /// The permutation p-value of that statistic.
    public var pValue: Double

    /// Creates evidence.
    public init(name: String, statistic: Double, pValue: Double) {
        self.name = name
        self.statistic = statistic
        self.pValue = pValue
    }
}

/// What the new-distribution detector concluded about one dataset, with its evidence.
///
/// `decision` is `known` when the nearest domain (smallest MMD²) has a p-value of at least
/// ``significance``, `new` otherwise; with no known domain it is `new` and ``nearestDomain``,
/// ``statistic`` and ``pValue`` are `nil`. A declared domain name never changes the decision
/// (the caller lets the declaration win); it only fills ``declaredDomain`` and, when the
/// evidence disagrees with it, ``contradiction``.
///
/// ## Topics
/// - ``decision``
/// - ``evidence``
/// - ``contradiction``
/// - ``contradiction(declared:)``
public struct Detection: Sendable, Codable, Equatable {
    /// `new` or `known`.
    public var decision: DetectionDecision
    /// The known domain with the smallest MMD², if any domain is known.
    public var nearestDomain: String?
    /// The MMD² to the nearest domain.
    public var statistic: Double?
    /// The p-value against the nearest domain.
    public var pValue: Double?
    /// The significance level α the decision used.
    public var significance: Double
    /// One test per tested domain (every known domain, or the candidates nearest by mean when
    /// there are more; see ``DriftDetectorConfig/candidates``), in the order the domains were given.
    public var evidence: [DomainEvidence]
    /// The domain the submitter declared, if any.
    public var declaredDomain: String?
    /// A one-line message when the evidence contradicts ``declaredDomain``; `nil` otherwise.
    public var contradiction: String?

    /// Creates a detection; `contradiction` is derived from the evidence and `declaredDomain`.
    public init(
        decision: DetectionDecision, nearestDomain: String?, statistic: Double?, pValue: Double?,
        significance: Double, evidence: [DomainEvidence], declaredDomain: String? = nil
    ) {
        self.decision = decision
        self.nearestDomain = nearestDomain
        self.statistic = statistic
        self.pValue = pValue
        self.significance = significance
        self.evidence = evidence
        self.declaredDomain = declaredDomain
        self.contradiction = nil
        if let declaredDomain { self.contradiction = contradiction(declared: declaredDomain) }
    }

    /// Whether the evidence contradicts the declared domain.
    public var contradictsDeclaration: Bool { contradiction != nil }

    /// A one-line message when the evidence contradicts a declaration that the data belong to
    /// `declared`, or `nil` when it does not.
    ///
    /// The evidence contradicts a known name when that domain's p-value is below α (the data
    /// differ from it), and a new name when some known domain has a p-value of at least α
    /// (the data look like that domain).
    public func contradiction(declared: String) -> String? {
        let alpha = Self.format(significance)
        if let own = evidence.first(where: { $0.name == declared }) {
            guard own.pValue < significance else { return nil }
            var message = "declared domain '\(declared)' but the data differ from it "
                + "(MMD² \(Self.format(own.statistic)), p = \(Self.format(own.pValue)) < α = \(alpha))"
            if let nearestDomain, nearestDomain != declared, let pValue {
                message += "; nearest is '\(nearestDomain)' (p = \(Self.format(pValue)))"
            }
            return message
        }
        let consistent = evidence.filter { $0.pValue >= significance }
        guard let match = consistent.min(by: { $0.statistic < $1.statistic }) else { return nil }
        return "declared new domain '\(declared)' but the data match known domain '\(match.name)' "
            + "(MMD² \(Self.format(match.statistic)), p = \(Self.format(match.pValue)) ≥ α = \(alpha))"
    }

    /// Four significant digits, enough for a message.
    static func format(_ value: Double) -> String {
        String(format: "%.4g", value)
    }
}
