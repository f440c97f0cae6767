import ArgumentParser
import Foundation
import GroveService

/// `grove report`: per-domain expert performance, rendered by the daemon or from the home's database.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print a model's per-domain expert performance report.")

    @Option(help: ArgumentHelp("table, json, markdown or html.", valueName: "format"))
    var format = "table"

    @Flag(help: "The same as --format json.")
    var json = false

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var out: String?

    @OptionGroup var client: ClientOptions

    static let formats = ["table", "json", "markdown", "html"]

    func validate() throws {
        guard Self.formats.contains(format.lowercased()) else {
            throw ValidationError("unknown report format '\(format)'; choose table, json, markdown or html")
        }
    }

    func run() async throws {
        let format = json ? "json" : format.lowercased()
        let out = out
        try await reportingErrors {
            let body = try await self.client.makeReader().report(model: self.client.modelName, format: format)
            if let out {
                try OutputFile.write(body, to: out)
                return
            }
            var text = String(decoding: body, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            print(text)
        }
    }
}
