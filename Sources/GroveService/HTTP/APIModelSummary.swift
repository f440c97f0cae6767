/// One model as `GET /v1/models` lists it: its name, input dimension and size.
///
/// Absent values (before the model's first phase) are written as `null`.
public struct APIModelSummary: Codable, Sendable, Equatable {
    /// The model's name.
    public var name: String
    /// The feature count every sample must have, fixed by the first phase, or `null` before it.
    public var inputDimension: Int?
    /// How many domains the model knows.
    public var domains: Int
    /// How many experts it has.
    public var experts: Int
    /// The latest version's number, or `null` before the first phase.
    public var version: Int?
    /// How many classes it predicts.
    public var classes: Int
    /// The features' names in input order when the model's first dataset was a CSV (its
    /// header without `label`), else `null`: a CSV's columns are matched to them by name.
    public var features: [String]?

    /// A summary.
    public init(name: String, inputDimension: Int?, domains: Int, experts: Int, version: Int?, classes: Int,
                features: [String]? = nil) {
        self.name = name
        self.inputDimension = inputDimension
        self.domains = domains
        self.experts = experts
        self.version = version
        self.classes = classes
        self.features = features
    }

    enum CodingKeys: String, CodingKey {
        case name, domains, experts, version, classes, features
        case inputDimension = "input_dimension"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(inputDimension, forKey: .inputDimension)
        try c.encode(domains, forKey: .domains)
        try c.encode(experts, forKey: .experts)
        try c.encode(version, forKey: .version)
        try c.encode(classes, forKey: .classes)
        try c.encode(features, forKey: .features)
    }
}
