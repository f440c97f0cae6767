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
        try await client.showModelView([APIDomain].self, at: "/domains", json: json, read: { try await $0.domains(model: $1) }) { domains in
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
