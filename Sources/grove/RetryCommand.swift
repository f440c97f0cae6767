import ArgumentParser
import Foundation
import GroveService

/// `grove retry`: queue a failed or cancelled job again, and optionally wait for it.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queue a failed or cancelled job again.",
        discussion: """
            The job runs again as if new (attempts 0); its earlier outcome stays in the audit log. \
            Its files must still be in the home: garbage collection removes them once the job has ended \
            longer ago than the retention period (24 hours by default); then submit the data again.
            """
    )

    @Argument(help: ArgumentHelp("The job's id.", valueName: "job"))
    var job: Int64

    @Flag(help: "Wait until the job ends; fail if it fails.")
    var wait = false

    @Flag(help: "Print the job (with --wait, the final job) as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (id, wait, json) = (job, wait, json)
        try await reportingErrors {
            let client = try self.client.makeClient()
            let queued = try await client.retry(jobID: id)
            if !json { print("job \(queued.id) queued again") }
            guard wait else {
                if json { try printJSON(queued) }
                return
            }
            let display = ProgressDisplay(names: [:])
            let finals = try await client.wait(for: [queued.id]) { job in
                if !json { display.update(job) }
            }
            display.finish()
            guard let final = finals.first else { return }
            if json { try printJSON(final) }
            if final.state != .succeeded {
                throw SubmitFailure(job: final, message: final.error ?? "no reason given")
            }
        }
    }
}
