/// The expert lineage as an indented text tree (`grove experts --tree`).
///
/// Each expert sits under the expert it was initialised from; roots (no parent, or a parent
/// that is not in the list) start at the left margin. Siblings are ordered by id.
///
/// ```text
/// #0 tops · phase 0
/// ├── #1 bottoms · phase 1
/// │   └── #3 bottoms · phase 3
/// └── #2 shoes · phase 2
/// ```
///
/// Complexity: O(n log n) for n experts. A parent cycle (possible only in corrupt data) does
/// not loop: the first expert of the cycle that is reached is shown as a root.
public struct LineageTree: Sendable {
    /// The experts to draw.
    public var experts: [ReportExpert]

    /// A tree of `experts`.
    public init(experts: [ReportExpert]) {
        self.experts = experts
    }

    /// A tree of a report's experts.
    public init(report: Report) {
        self.init(experts: report.experts)
    }

    /// The tree, one expert per line, ending with a newline; empty text for no experts.
    public func render() -> String {
        let lines = lines(width: nil)
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// The tree's lines, each cut to `width` characters when given.
    public func lines(width: Int?) -> [String] {
        let byID = Dictionary(experts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var children: [Int: [ReportExpert]] = [:]
        var roots: [ReportExpert] = []
        for expert in experts.sorted(by: { $0.id < $1.id }) {
            if let parent = expert.parent, parent != expert.id, byID[parent] != nil {
                children[parent, default: []].append(expert)
            } else {
                roots.append(expert)
            }
        }
        var out: [String] = []
        var visited = Set<Int>()
        func walk(_ expert: ReportExpert, prefix: String, branch: String) {
            guard visited.insert(expert.id).inserted else { return }
            let line = prefix + branch + Self.label(expert)
            out.append(width.map { TextTable.truncate(line, to: $0) } ?? line)
            let kids = children[expert.id] ?? []
            let childPrefix = prefix + (branch == "├── " ? "│   " : branch.isEmpty ? "" : "    ")
            for (i, kid) in kids.enumerated() {
                walk(kid, prefix: childPrefix, branch: i == kids.count - 1 ? "└── " : "├── ")
            }
        }
        for root in roots { walk(root, prefix: "", branch: "") }
        // Experts only reachable through a parent cycle.
        for expert in experts.sorted(by: { $0.id < $1.id }) where !visited.contains(expert.id) {
            walk(expert, prefix: "", branch: "")
        }
        return out
    }

    /// `#3 bottoms · phase 3`, with `· training` for an expert that is not frozen yet.
    static func label(_ e: ReportExpert) -> String {
        var text = "#\(e.id) \(e.domain ?? "(no domain)")"
        if let phase = e.createdPhase { text += " · phase \(phase)" }
        if !e.frozen { text += " · training" }
        return text
    }
}
