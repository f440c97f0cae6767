import ArgumentParser
import Foundation
import GroveService

/// `grove domains`: the data distributions a model knows.
struct DomainsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "domains", abstract: "List a model's known domains with their experts and accuracy.")

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let json = json
        try await reportingErrors {
            let reader = try await self.client.makeReader()
            let model = self.client.modelName
            let data = try await reader.domains(model: model)
            let domains = try reader.decode([APIDomain].self, from: data, request: "GET " + GroveClient.modelPath(model, "/domains"))
            if json { try printJSON(raw: data); return }
            guard !domains.isEmpty else { print("no domains yet"); return }
            var table = TextTable(header: ["domain", "experts", "classes", "first phase", "accuracy", "routing"])
            table.rows = domains.map { domain in
                [domain.name, domain.experts.map(String.init).joined(separator: ","), domain.classes.joined(separator: ","),
                 String(domain.firstPhase), percent(domain.accuracy), percent(domain.routingAccuracy)]
            }
            print(table.render())
        }
    }
}
