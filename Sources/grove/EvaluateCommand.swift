import ArgumentParser
import Foundation
import GroveService

/// `grove evaluate`: the latest version on every domain's whole held-out set.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a model's latest version on every domain's whole held-out set (phases evaluate a fixed sample).")

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await client.showModelView(APIEvaluation.self, at: "/evaluation", json: json, read: { try await $0.evaluation(model: $1) }) { evaluation in
            guard !evaluation.domains.isEmpty else { print("no domains yet"); return }
            var table = TextTable(header: ["domain", "samples", "accuracy", "routing", "loss"])
            table.rows = evaluation.domains.map { d in
                [d.name, String(d.samples), percent(d.accuracy), percent(d.routingAccuracy), String(format: "%.4f", d.loss)]
            }
            print(table.render())
            if let average = evaluation.averageAccuracy, let version = evaluation.version {
                print("version \(version): average accuracy \(percent(average)) over \(evaluation.domains.count) domains")
            }
        }
    }
}
