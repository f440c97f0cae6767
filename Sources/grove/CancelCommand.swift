import ArgumentParser
import Foundation
import GroveService

/// `grove cancel`: cancels a queued or running job.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a queued or running job.",
        discussion: "A running phase stops between training steps and commits nothing: the model stays as it was."
    )

    @Argument(help: ArgumentHelp("The job's id.", valueName: "job"))
    var job: Int64

    @Flag(help: "Print the cancelled job as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let (id, json) = (job, json)
        try await reportingErrors {
            let cancelled = try await self.client.makeClient().cancel(jobID: id)
            if json { try printJSON(cancelled) } else { print("job \(cancelled.id) cancelled") }
        }
    }
}
