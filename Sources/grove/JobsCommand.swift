import ArgumentParser
import Foundation
import GroveService
import GroveStore

/// `grove jobs`: the queue and the history of jobs.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List jobs (of every model, or of --model): queued, running and finished.")

    @Option(help: ArgumentHelp("Only jobs in these states (comma-separated: queued,running,succeeded,failed,cancelled).", valueName: "states"))
    var state: String?

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        _ = try states()
    }

    func states() throws -> [JobState] {
        guard let state else { return [] }
        return try state.split(separator: ",").map { name in
            guard let value = JobState(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown job state '\(name)'")
            }
            return value
        }
    }

    func run() async throws {
        let (json, states) = (json, try states())
        try await reportingErrors {
            let reader = try await self.client.makeReader()
            let data = try await reader.jobs(model: self.client.model, states: states)
            let jobs = try reader.decode([APIJob].self, from: data, request: "GET /v1/jobs")
            if json { try printJSON(raw: data); return }
            guard !jobs.isEmpty else { print("no jobs"); return }
            print(Self.table(jobs).render())
        }
    }

    static func table(_ jobs: [APIJob]) -> TextTable {
        var table = TextTable(header: ["id", "model", "state", "progress", "attempts", "domain", "error"])
        table.rows = jobs.map { job in
            let progress: String = "\(Int((job.progress * 100).rounded(.down)))%"
            let row: [String] = [String(job.id), job.model, job.state.rawValue, progress, String(job.attempts), job.declaredDomain ?? "-", job.error ?? ""]
            return row
        }
        return table
    }
}
