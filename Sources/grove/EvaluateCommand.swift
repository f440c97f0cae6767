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
        let json = json
        try await reportingErrors {
            let reader = try await self.client.makeReader()
            let model = self.client.modelName
            let data = try await reader.evaluation(model: model)
            let evaluation = try reader.decode(APIEvaluation.self, from: data, request: "GET " + GroveClient.modelPath(model, "/evaluation"))
            if json { try printJSON(raw: data); return }
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
