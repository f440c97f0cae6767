import ArgumentParser
import Foundation
import GroveData

/// `grove drift export ID`: writes a drift event's candidate rows to a file for labelling.
struct DriftExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a drift event's candidate rows to a file, to label them.",
        discussion: """
            npy writes a float32 array of the rows in the order the watch saw them; label them in a \
            text file (one label per line, in that order) and submit it with `grove submit LABELS --candidate ID`. \
            csv writes the same rows with an empty `label` column first; fill it in and submit the CSV itself.
            """)

    @Argument(help: ArgumentHelp("The drift event's id (grove drift lists them).", valueName: "id"))
    var id: Int64

    @Option(help: ArgumentHelp("npy or csv (default: from --out's extension, else npy).", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("The file to write (default candidate-ID.npy or .csv in the current directory).", valueName: "file"))
    var out: String?

    @Flag(help: "Replace --out if it exists.")
    var force = false

    @OptionGroup var client: ClientOptions

    /// The format asked for, or the one `--out`'s extension names, or npy.
    var chosenFormat: FeatureRowsWriter.Format {
        if let format { return FeatureRowsWriter.Format(rawValue: format.lowercased()) ?? .npy }
        let ext = out.map { URL(fileURLWithPath: $0).pathExtension.lowercased() } ?? ""
        return FeatureRowsWriter.Format(rawValue: ext) ?? .npy
    }

    /// Where the rows go.
    var path: String { out ?? "candidate-\(id).\(chosenFormat.rawValue)" }

    func validate() throws {
        guard id > 0 else { throw ValidationError("the event id must be a positive integer (got \(id))") }
        if let format, FeatureRowsWriter.Format(rawValue: format.lowercased()) == nil {
            throw ValidationError("unknown format '\(format)'; choose npy or csv")
        }
    }

    func run() async throws {
        let (format, path, force, id) = (chosenFormat, path, force, id)
        try await reportingErrors {
            if !force, FileManager.default.fileExists(atPath: path) {
                throw OutputFileError(path: path, reason: "it exists; pass --force to replace it")
            }
            let data = try await client.makeReader().candidateRows(model: client.modelName, event: id, format: format)
            try OutputFile.write(data, to: path)
            print("wrote drift event \(id)'s candidate rows to \(path) (\(format.rawValue))")
        }
    }
}
