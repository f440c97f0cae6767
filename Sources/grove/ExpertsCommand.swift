import ArgumentParser
import Foundation
import GroveService

/// `grove experts`: every expert with its lineage, as a table or a tree.
struct ExpertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "experts", abstract: "List a model's experts with their lineage.")

    @Flag(help: "Draw the lineage as a tree (each expert under the expert it was grown from).")
    var tree = false

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let tree = tree
        try await client.showModelView([APIExpert].self, at: "/experts", json: json, read: { try await $0.experts(model: $1) }) { experts in
            guard !experts.isEmpty else { print("no experts yet"); return }
            print(tree ? ExpertTree(experts).render() : Self.table(experts).render())
        }
    }

    static func table(_ experts: [APIExpert]) -> TextTable {
        var table = TextTable(header: ["id", "parent", "domain", "phase", "frozen", "classes", "parameters"])
        table.rows = experts.map { expert in
            [String(expert.id), expert.parent.map(String.init) ?? "-", expert.domain ?? "-",
             expert.createdPhase.map(String.init) ?? "-", expert.frozen ? "yes" : "no",
             expert.classes.joined(separator: ","), String(expert.parameters)]
        }
        return table
    }
}

/// Expert lineage drawn with `├──` / `└──`: roots (no parent, or a parent not listed) at the
/// left, children by id under their parent.
struct ExpertTree {
    let experts: [APIExpert]

    init(_ experts: [APIExpert]) {
        self.experts = experts.sorted { $0.id < $1.id }
    }

    func render() -> String {
        let ids = Set(experts.map(\.id))
        var children: [Int: [APIExpert]] = [:]
        var roots: [APIExpert] = []
        for expert in experts {
            if let parent = expert.parent, parent != expert.id, ids.contains(parent) {
                children[parent, default: []].append(expert)
            } else {
                roots.append(expert)
            }
        }
        var lines: [String] = []
        var visited: Set<Int> = []
        func walk(_ expert: APIExpert, prefix: String, branch: String) {
            guard visited.insert(expert.id).inserted else { return }
            lines.append(prefix + branch + Self.label(expert))
            let kids = children[expert.id] ?? []
            let childPrefix = prefix + (branch == "├── " ? "│   " : branch.isEmpty ? "" : "    ")
            for (i, kid) in kids.enumerated() {
                walk(kid, prefix: childPrefix, branch: i == kids.count - 1 ? "└── " : "├── ")
            }
        }
        for root in roots { walk(root, prefix: "", branch: "") }
        return lines.joined(separator: "\n")
    }

    /// `expert 2  blobs-b  phase 2  classes 2,3  frozen`.
    static func label(_ expert: APIExpert) -> String {
        var parts = ["expert \(expert.id)", expert.domain ?? "(no domain)"]
        if let phase = expert.createdPhase { parts.append("phase \(phase)") }
        if !expert.classes.isEmpty { parts.append("classes " + expert.classes.joined(separator: ",")) }
        parts.append(expert.frozen ? "frozen" : "training")
        return parts.joined(separator: "  ")
    }
}
