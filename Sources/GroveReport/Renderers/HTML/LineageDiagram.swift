/// The expert lineage as a diagram: one node per expert in tree order (as ``LineageTree``
/// prints it), indented by depth, with an elbow edge from each parent to its children.
struct LineageDiagram: Sendable {
    var report: Report

    static let rowH = 34.0
    static let nodeW = 210.0
    static let nodeH = 26.0

    /// The `<svg>` element.
    func svg() -> String {
        let nodes = layout()
        let maxDepth = nodes.map(\.depth).max() ?? 0
        let indent = maxDepth == 0 ? 32 : max(8, min(32, 700 / Double(maxDepth)))
        let width = max(480, 16 + indent * Double(maxDepth) + Self.nodeW + 16)
        let height = max(Self.rowH, Self.rowH * Double(nodes.count) + 8)
        func x(_ depth: Int) -> Double { 8 + indent * Double(depth) }
        func y(_ row: Int) -> Double { 6 + Self.rowH * Double(row) }
        let domainIndex = Dictionary(report.domains.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var rowOf: [Int: Int] = [:]
        for (row, node) in nodes.enumerated() { rowOf[node.expert.id] = row }

        var out = [SVG.open(width: width, height: height, label: "Expert lineage: each expert under the expert it was initialised from")]
        for (row, node) in nodes.enumerated() {
            guard let parent = node.parent, let parentRow = rowOf[parent] else { continue }
            let px = x(node.depth - 1) + 10, py = y(parentRow) + Self.nodeH
            let cy = y(row) + Self.nodeH / 2
            out.append("<path d=\"M\(SVG.n(px)) \(SVG.n(py)) V\(SVG.n(cy)) H\(SVG.n(x(node.depth)))\" class=\"edge\"/>")
        }
        for (row, node) in nodes.enumerated() {
            let e = node.expert
            let colour = e.domain.flatMap { domainIndex[$0] }.map(SVG.series) ?? "#999999"
            let nx = x(node.depth), ny = y(row)
            let frozen = e.frozen ? "" : " training"
            out.append("<g class=\"node\(frozen)\"><title>\(SVG.escape(Self.tip(e)))</title>"
                + "<rect x=\"\(SVG.n(nx))\" y=\"\(SVG.n(ny))\" width=\"\(SVG.n(Self.nodeW))\" height=\"\(SVG.n(Self.nodeH))\" rx=\"5\" stroke=\"\(colour)\"/>"
                + "<rect x=\"\(SVG.n(nx))\" y=\"\(SVG.n(ny))\" width=\"6\" height=\"\(SVG.n(Self.nodeH))\" rx=\"2\" fill=\"\(colour)\"/>"
                + SVG.text(TextTable.truncate("#\(e.id) \(e.domain ?? "(no domain)")", to: 20), x: nx + 12, y: ny + 17, cssClass: "label")
                + SVG.text(e.createdPhase.map { "phase \($0)" } ?? "", x: nx + Self.nodeW - 8, y: ny + 17, anchor: "end", cssClass: "tick")
                + "</g>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    /// `#3 bottoms, phase 3, parent #1, frozen, 203,530 parameters`.
    static func tip(_ e: ReportExpert) -> String {
        var parts = ["#\(e.id) \(e.domain ?? "(no domain)")"]
        if let phase = e.createdPhase { parts.append("phase \(phase)") }
        parts.append(e.parent.map { "parent #\($0)" } ?? "root")
        parts.append(e.frozen ? "frozen" : "training")
        parts.append("\(NumberFormat.count(e.parameters)) parameters")
        return parts.joined(separator: ", ")
    }

    struct Node: Sendable {
        var expert: ReportExpert
        var depth: Int
        /// The parent drawn in this diagram, if any.
        var parent: Int?
    }

    /// Experts in depth-first order with their depth, the order ``LineageTree`` prints.
    func layout() -> [Node] {
        let ids = Set(report.experts.map(\.id))
        var children: [Int: [ReportExpert]] = [:]
        var roots: [ReportExpert] = []
        let sorted = report.experts.sorted { $0.id < $1.id }
        for e in sorted {
            if let p = e.parent, p != e.id, ids.contains(p) { children[p, default: []].append(e) } else { roots.append(e) }
        }
        var out: [Node] = []
        var visited = Set<Int>()
        var stack: [(ReportExpert, Int, Int?)] = roots.reversed().map { ($0, 0, nil) }
        func drain() {
            while let (e, depth, parent) = stack.popLast() {
                guard visited.insert(e.id).inserted else { continue }
                out.append(Node(expert: e, depth: depth, parent: parent))
                for kid in (children[e.id] ?? []).reversed() { stack.append((kid, depth + 1, e.id)) }
            }
        }
        drain()
        for e in sorted where !visited.contains(e.id) {
            stack.append((e, 0, nil))
            drain()
        }
        return out
    }
}
