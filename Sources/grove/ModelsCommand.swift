import ArgumentParser
import Foundation
import GroveService

/// `grove models`: every model the daemon hosts, with its input dimension, domains and version.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "models", abstract: "List the models with their input dimension, domains and version.")

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        if client.model != nil { throw ValidationError("grove models lists every model; --model does not apply") }
    }

    func run() async throws {
        let json = json
        try await reportingErrors {
            let reader = try await self.client.makeReader()
            let data = try await reader.models()
            let models = try reader.decode([APIModelSummary].self, from: data, request: "GET /v1/models")
            if json { try printJSON(raw: data); return }
            print(Self.table(models).render())
        }
    }

    static func table(_ models: [APIModelSummary]) -> TextTable {
        var table = TextTable(header: ["model", "dimension", "domains", "experts", "classes", "version"])
        table.rows = models.map { model in
            [model.name, model.inputDimension.map(String.init) ?? "-", String(model.domains), String(model.experts),
             String(model.classes), model.version.map(String.init) ?? "none yet"]
        }
        return table
    }
}
