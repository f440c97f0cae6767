/// The new-distribution test of one phase: decision, nearest domain and the evidence against
/// every domain known at the time (MMD² with an RBF kernel and a permutation p-value).
public struct ReportDetection: Sendable, Codable, Equatable {
    /// `new` (grow experts for a new domain) or `known`.
    public var decision: String
    /// The known domain with the smallest MMD², `nil` when no domain was known.
    public var nearestDomain: String?
    /// MMD² to the nearest domain.
    public var statistic: Double?
    /// Permutation p-value against the nearest domain.
    public var pValue: Double?
    /// The significance level α of the decision.
    public var significance: Double
    /// One test per domain known at the time.
    public var evidence: [ReportEvidence]

    /// A detection from its parts; `decision` is `new` or `known`.
    public init(decision: String, nearestDomain: String? = nil, statistic: Double? = nil, pValue: Double? = nil,
                significance: Double, evidence: [ReportEvidence] = []) {
        self.decision = decision
        self.nearestDomain = nearestDomain
        self.statistic = statistic
        self.pValue = pValue
        self.significance = significance
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case decision
        case nearestDomain = "nearest_domain"
        case statistic
        case pValue = "p_value"
        case significance, evidence
    }

    /// Encodes every key, with `null` for absent values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decision, forKey: .decision)
        try c.encode(nearestDomain, forKey: .nearestDomain)
        try c.encode(statistic, forKey: .statistic)
        try c.encode(pValue, forKey: .pValue)
        try c.encode(significance, forKey: .significance)
        try c.encode(evidence, forKey: .evidence)
    }
}

/// The two-sample test of a dataset against one known domain.
public struct ReportEvidence: Sendable, Codable, Equatable {
    /// The known domain.
    public var domain: String
    /// Unbiased MMD² between the dataset and the domain's signature.
    public var statistic: Double
    /// Permutation p-value of that statistic.
    public var pValue: Double

    /// Evidence from its parts.
    public init(domain: String, statistic: Double, pValue: Double) {
        self.domain = domain
        self.statistic = statistic
        self.pValue = pValue
    }

    enum CodingKeys: String, CodingKey {
        case domain, statistic
        case pValue = "p_value"
    }
}
