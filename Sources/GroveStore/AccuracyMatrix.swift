/// One metric of every model version on every domain: `values[v][d]` is the value of
/// `versions[v]` on `domains[d]`, `nil` where it was not measured (a domain not yet learned).
///
/// With `metric == .accuracy` this is the matrix a_{i,j} of continual-learning metrics
/// (Lopez-Paz & Ranzato 2017, "Gradient Episodic Memory"): average accuracy, forgetting and
/// backward transfer are computed from it.
public struct AccuracyMatrix: Sendable, Hashable {
    /// The metric the matrix holds.
    public var metric: EvaluationMetric
    /// Model version numbers, ascending (the rows).
    public var versions: [Int]
    /// Domain names in order of creation (the columns).
    public var domains: [String]
    /// `versions.count` rows of `domains.count` values.
    public var values: [[Double?]]

    /// Creates a matrix.
    public init(metric: EvaluationMetric, versions: [Int], domains: [String], values: [[Double?]]) {
        self.metric = metric
        self.versions = versions
        self.domains = domains
        self.values = values
    }

    /// The value of version `version` on domain `domain`, if measured.
    public func value(version: Int, domain: String) -> Double? {
        guard let row = versions.firstIndex(of: version),
              let column = domains.firstIndex(of: domain)
        else { return nil }
        return values[row][column]
    }
}

/// One point of a domain's evaluation history.
public struct EvaluationPoint: Sendable, Hashable {
    /// The model version number.
    public var version: Int
    /// The measured value.
    public var value: Double
    /// Samples it was measured on.
    public var sampleCount: Int

    /// Creates a point.
    public init(version: Int, value: Double, sampleCount: Int) {
        self.version = version
        self.value = value
        self.sampleCount = sampleCount
    }
}
