import ArgumentParser
import Foundation
import GroveService

/// `grove export VERSION`: a model version's weights in a file other frameworks read.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model version's weights as safetensors.",
        discussion: "The file's metadata (key 'grove') describes the gate, the experts and how they combine; docs/versions.md shows the computation.")

    @Argument(help: ArgumentHelp("The version's number (grove versions lists them).", valueName: "version"))
    var version: Int

    @Option(help: ArgumentHelp("The file format: safetensors.", valueName: "format"))
    var format = "safetensors"

    @Option(help: ArgumentHelp("The file to write (default MODEL-vVERSION.safetensors in the current directory).", valueName: "file"))
    var out: String?

    @Flag(help: "Replace --out if it exists.")
    var force = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard version > 0 else { throw ValidationError("the version must be a positive integer (got \(version))") }
        guard format.lowercased() == "safetensors" else { throw ValidationError("unknown format '\(format)'; the one format is safetensors") }
    }

    func run() async throws {
        let (version, force) = (version, force)
        let path = out ?? "\(client.modelName)-v\(version).safetensors"
        try await reportingErrors {
            if !force, FileManager.default.fileExists(atPath: path) {
                throw OutputFileError(path: path, reason: "it exists; pass --force to replace it")
            }
            let data = try await client.makeReader().weights(model: client.modelName, version: version)
            try OutputFile.write(data, to: path)
            print("wrote version \(version) of model '\(client.modelName)' to \(path)")
        }
    }
}
