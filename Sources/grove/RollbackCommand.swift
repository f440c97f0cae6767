import ArgumentParser
import Foundation
import GroveService

/// `grove rollback VERSION`: makes an earlier version the one that predicts.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make an earlier version the one that predicts and the base of the next phase.",
        discussion: """
            The rollback is itself a new version, whose parent is VERSION: the versions in between keep their \
            experts, evaluations and reports in the lineage, and the next phase builds on the rollback. \
            Refused while a phase of the model runs.
            """)

    @Argument(help: ArgumentHelp("The version to restore (grove versions lists them).", valueName: "version"))
    var version: Int

    @Flag(help: "Print the new version as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard version > 0 else { throw ValidationError("the version must be a positive integer (got \(version))") }
    }

    func run() async throws {
        let (version, json) = (version, json)
        try await reportingErrors {
            let rolled = try await client.makeClient().rollback(model: client.modelName, to: version)
            if json { try printJSON(rolled); return }
            print("model '\(client.modelName)' now predicts with version \(rolled.number), a rollback to version \(version): "
                + "\(rolled.experts) experts, \(rolled.domains) domains, mean accuracy \(percent(rolled.meanAccuracy))")
        }
    }
}
