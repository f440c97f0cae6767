/// The metric families of a Prometheus text exposition (format 0.0.4), read as far as the tests
/// check it: each family's `# HELP` and `# TYPE` lines and its samples.
///
/// ```swift
/// let exposition = MetricsExposition(text)
/// #expect(exposition.problems.isEmpty, "\(exposition.problems)")
/// #expect(exposition.families["grove_jobs"]?.type == "gauge")
/// ```
public struct MetricsExposition: Sendable {
    /// One family: its help text, type and the sample lines that belong to it.
    public struct Family: Sendable, Equatable {
        /// The `# HELP` text, `nil` without one.
        public var help: String?
        /// The `# TYPE` (`counter`, `gauge`, `histogram`, …), `nil` without one.
        public var type: String?
        /// The sample lines, in order.
        public var samples: [String] = []
    }

    /// The families by name, those of samples without any `# TYPE` included.
    public private(set) var families: [String: Family] = [:]
    /// What breaks the format's rules for Grove: a family without a non-empty help text or a
    /// type, a sample before its family's `# TYPE`, or a family declared twice.
    public private(set) var problems: [String] = []

    /// Reads `text`.
    public init(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                declare(line)
            } else if !line.hasPrefix("#") {
                add(sample: line)
            }
        }
        for (name, family) in families.sorted(by: { $0.key < $1.key }) {
            if (family.help ?? "").isEmpty { problems.append("\(name) has no HELP") }
            if family.type == nil { problems.append("\(name) has no TYPE") }
        }
    }

    private mutating func declare(_ line: String) {
        let parts = line.dropFirst(2).split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            problems.append("malformed line: \(line)")
            return
        }
        var family = families[parts[1]] ?? Family()
        if parts[0] == "HELP" {
            if family.help != nil { problems.append("\(parts[1]) has two HELP lines") }
            family.help = parts[2]
        } else {
            if family.type != nil { problems.append("\(parts[1]) has two TYPE lines") }
            if !family.samples.isEmpty { problems.append("\(parts[1]) has samples before its TYPE") }
            family.type = parts[2]
        }
        families[parts[1]] = family
    }

    private mutating func add(sample line: String) {
        let name = String(line.prefix { $0 != "{" && $0 != " " })
        var family = name
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if ["histogram", "summary"].contains(families[base]?.type) { family = base }
        }
        families[family, default: Family()].samples.append(line)
    }
}
