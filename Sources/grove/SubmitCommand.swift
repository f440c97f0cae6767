import ArgumentParser
import Foundation
import GroveData
import GroveService

/// `grove submit`: queue a dataset, or every domain of a job manifest in order, and
/// optionally wait for the jobs to end.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue a dataset (or a job manifest's domains, in order) for the daemon to learn.",
        discussion: """
            A dataset file is uploaded to the daemon; a manifest (.yaml, .yml, .json) is submitted as one job per domain with its local paths. \
            With --candidate ID the file holds labels (one per line, or a 1-D .npy array) for the rows of that drift event, in the order `grove drift export` wrote them.
            """
    )

    @Argument(help: ArgumentHelp("A dataset file (CSV, JSONL, NPY, IDX), a job manifest, or with --candidate a labels file.", valueName: "path"))
    var path: String

    @Option(help: ArgumentHelp("Learn a drift event's candidate rows, labelled by <path>.", valueName: "id"))
    var candidate: Int64?

    @Option(help: "The domain the data belongs to (default: detected by the daemon).")
    var domain: String?

    @Option(help: ArgumentHelp("The dataset format: idx, csv, jsonl or npy (default: from the file name).", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("The labels file, for IDX and NPY features.", valueName: "path"))
    var labels: String?

    @Flag(help: "Wait until the jobs end; fail if one fails.")
    var wait = false

    @Flag(help: "Print the submissions (and, with --wait, the final jobs) as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    /// Whether `path` names a job manifest rather than a dataset.
    var isManifest: Bool {
        ["yaml", "yml", "json"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
    }

    func validate() throws {
        if let format, DatasetFormat(rawValue: format.lowercased()) == nil {
            throw ValidationError("unknown format '\(format)'; choose idx, csv, jsonl or npy")
        }
        if isManifest, candidate == nil, labels != nil || format != nil || domain != nil {
            throw ValidationError("--domain, --format and --labels apply to a dataset; a manifest names its own")
        }
        if let candidate {
            guard candidate > 0 else { throw ValidationError("--candidate must be a positive drift event id (got \(candidate))") }
            guard labels == nil, format == nil else {
                throw ValidationError("with --candidate, <path> is the labels file and the rows are the event's; --labels and --format do not apply")
            }
        }
    }

    func run() async throws {
        let request = SubmitRequest(path: path, isManifest: isManifest && candidate == nil, domain: domain, model: client.model,
                                    format: format.flatMap { DatasetFormat(rawValue: $0.lowercased()) }, labels: labels,
                                    candidate: candidate)
        let (wait, json) = (wait, json)
        try await reportingErrors {
            let client = try self.client.makeClient()
            let planned = try await request.submit(with: client)
            var submissions = planned.map(\.submission)
            if !json {
                for item in planned { print(item.line) }
            }
            guard wait else {
                if json { try printJSON(submissions) }
                return
            }
            let display = ProgressDisplay(names: Dictionary(planned.map { ($0.submission.job.id, $0.shortName) }, uniquingKeysWith: { a, _ in a }))
            let finals = try await client.wait(for: submissions.map(\.job.id)) { job in
                if !json { display.update(job) }
            }
            display.finish()
            for (i, job) in finals.enumerated() where i < submissions.count { submissions[i].job = job }
            if json { try printJSON(submissions) }
            if let failed = finals.firstIndex(where: { $0.state != .succeeded }) {
                throw SubmitFailure(job: finals[failed], message: planned[failed].localized(finals[failed].error ?? "no reason given"))
            }
        }
    }
}

/// A waited-for job that did not succeed.
struct SubmitFailure: Error, CustomStringConvertible {
    let job: APIJob
    /// The job's error, naming the user's files rather than the stored copies.
    let message: String
    var description: String {
        job.state == .cancelled ? "job \(job.id) was cancelled" : "job \(job.id) failed: \(message)"
    }
}
