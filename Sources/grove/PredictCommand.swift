import ArgumentParser
import Foundation
import GroveData
import GroveService

/// `grove predict`: class predictions (and the experts the gate chose) for every sample of a file.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict the class of every sample in a dataset file, with the experts that answered."
    )

    @Argument(help: ArgumentHelp("A dataset file (CSV, JSONL, NPY, IDX); labels are neither needed nor read (a CSV may lack its label column, a JSONL line its y).", valueName: "path"))
    var path: String

    @Option(help: ArgumentHelp("The dataset format: idx, csv, jsonl or npy (default: from the file name).", valueName: "format"))
    var format: String?

    @Option(help: ArgumentHelp("A labels file for IDX and NPY features (optional; checked, not used).", valueName: "path"))
    var labels: String?

    @Option(help: "Samples per request.")
    var batch = 256

    @Flag(help: "Print the predictions as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        if let format, DatasetFormat(rawValue: format.lowercased()) == nil {
            throw ValidationError("unknown format '\(format)'; choose idx, csv, jsonl or npy")
        }
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
    }

    func run() async throws {
        let (json, batch) = (json, batch)
        try await reportingErrors {
            let reader = try await self.client.makeReader()
            let model = self.client.modelName
            var raw = try DatasetLoader.readFeatures(path: path, format: format.flatMap { DatasetFormat(rawValue: $0.lowercased()) }, labelsPath: labels)
            // A CSV's columns are taken by name when the model's features have names.
            if raw.columnNames != nil { raw = try raw.arranged(as: try await reader.featureNames(model: model)) }
            var predictions: [Prediction] = []
            predictions.reserveCapacity(raw.count)
            var start = 0
            while start < raw.count {
                let end = min(start + batch, raw.count)
                let rows = FeatureRows(features: Array(raw.features[(start * raw.dimension)..<(end * raw.dimension)]),
                                       dimension: raw.dimension, count: end - start, source: raw.source)
                predictions += try await reader.predict(rows, model: model)
                start = end
            }
            if json { try printJSON(predictions); return }
            for (i, p) in predictions.enumerated() {
                print("\(i)  \(p.label)  p=\(String(format: "%.3f", p.probability))  experts \(p.experts.map(String.init).joined(separator: ","))")
            }
        }
    }
}
