/// One expert of the report: its lineage, its size and which domains it serves.
public struct ReportExpert: Sendable, Codable, Equatable {
    /// Model-wide expert id.
    public var id: Int
    /// The expert it was initialised from (its lineage parent), `nil` for a root.
    public var parent: Int?
    /// The domain it was grown for, if any.
    public var domain: String?
    /// The phase that grew it, `nil` when no recorded phase did.
    public var createdPhase: Int?
    /// True once it may no longer change.
    public var frozen: Bool
    /// Number of weights and biases.
    public var parameters: Int
    /// Hidden units.
    public var hidden: Int
    /// Model-wide class indices it predicts.
    public var classes: [Int]
    /// Share of each domain's top-k routing assignments that went to this expert after the
    /// latest phase, by domain name (domains it got nothing from are absent).
    public var load: [String: Double]

    /// An expert from its parts.
    public init(id: Int, parent: Int?, domain: String?, createdPhase: Int?, frozen: Bool,
                parameters: Int, hidden: Int, classes: [Int], load: [String: Double]) {
        self.id = id
        self.parent = parent
        self.domain = domain
        self.createdPhase = createdPhase
        self.frozen = frozen
        self.parameters = parameters
        self.hidden = hidden
        self.classes = classes
        self.load = load
    }

    enum CodingKeys: String, CodingKey {
        case id, parent, domain
        case createdPhase = "created_phase"
        case frozen, parameters, hidden, classes, load
    }

    /// Encodes every key, with `null` for absent values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(parent, forKey: .parent)
        try c.encode(domain, forKey: .domain)
        try c.encode(createdPhase, forKey: .createdPhase)
        try c.encode(frozen, forKey: .frozen)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(classes, forKey: .classes)
        try c.encode(load, forKey: .load)
    }
}
