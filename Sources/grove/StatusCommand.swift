import ArgumentParser
import Foundation
import GroveService
import GroveStore

/// `grove status`: what the daemon hosts and is doing.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a model, its size and what the daemon is doing for it.")

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await client.showModelView(APIStatus.self, at: "", json: json, read: { try await $0.status(model: $1) }) { status in
            print(Self.text(status))
        }
    }

    /// The status as aligned `key  value` lines.
    static func text(_ status: APIStatus) -> String {
        let order = JobState.allCases.map(\.rawValue)
        let jobs = status.jobs.filter { $0.value > 0 }.sorted { (order.firstIndex(of: $0.key) ?? 99, $0.key) < (order.firstIndex(of: $1.key) ?? 99, $1.key) }
            .map { "\($0.value) \($0.key)" }
        var table = TextTable(header: ["model", status.model])
        table.rows = [
            ["version", status.version.map(String.init) ?? "none yet"],
            ["experts", String(status.experts)],
            ["domains", String(status.domains)],
            ["jobs", jobs.isEmpty ? "none" : jobs.joined(separator: ", ")],
            ["running", status.running.map { "job \($0.id) \(Int(($0.progress * 100).rounded(.down)))%" } ?? "nothing"],
            ["blas", "\(status.blas.core) (chosen by \(status.blas.coreSource.rawValue)), \(status.blas.threads) threads"],
        ]
        return table.render()
    }
}
