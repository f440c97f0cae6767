import ArgumentParser
import Foundation
import GroveService

/// `grove versions`: a model's committed versions.
struct VersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "versions", abstract: "List a model's versions with their phase, experts and accuracy.")

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await client.showModelView([APIVersion].self, at: "/versions", json: json, read: { try await $0.versions(model: $1) }) { versions in
            guard !versions.isEmpty else { print("no versions yet"); return }
            let time = ISO8601DateFormatter()
            var table = TextTable(header: ["version", "phase", "committed", "job", "learned", "experts", "new", "its domain", "mean", "domains", ""])
            table.rows = versions.map { v in
                [String(v.number), String(v.phase), time.string(from: v.createdAt), v.job.map(String.init) ?? "-",
                 v.rolledBackTo.map { "rollback to \($0)" } ?? v.domain,
                 String(v.experts), String(v.newExperts), percent(v.domainAccuracy), percent(v.meanAccuracy), String(v.domains),
                 v.serving ? "serving" : ""]
            }
            print(table.render())
        }
    }
}
