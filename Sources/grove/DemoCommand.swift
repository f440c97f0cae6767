import ArgumentParser
import Foundation
import GroveData
import GroveLearning

/// `grove demo`: the main job on the embedded default — a built-in stream learned end to end,
/// one phase per domain, then the per-domain report.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Learn a built-in Fashion-MNIST stream end to end and print per-domain results."
    )

    @Option(help: "Built-in stream: split-fashion-mnist or permuted-fashion-mnist.")
    var stream = BuiltinStream.splitFashionMNIST.name

    @Flag(help: "A fifth of the training data and one expert epoch: a smoke run in seconds.")
    var quick = false

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Passes over each domain's data when its experts train.")
    var epochs: Int?

    @Flag(help: "Print the learner's results as JSON.")
    var json = false

    func validate() throws {
        guard BuiltinStream(name: stream) != nil else {
            throw ValidationError("unknown stream '\(stream)'; choose \(BuiltinStream.allCases.map(\.name).joined(separator: " or "))")
        }
    }

    func run() throws {
        do {
            guard let builtin = BuiltinStream(name: stream) else { throw ExitCode.validationFailure }
            var config = LifelongConfig()
            config.seed = seed
            if quick { config.expertEpochs = 1 }
            if let epochs { config.expertEpochs = epochs }
            let runner = StreamRunner(manifest: try builtin.manifest(), config: config, maxTrainSamples: quick ? 2400 : nil)
            let start = Date()
            let learner = try runner.run { report, _ in
                if !json { print(DemoText.phaseLine(report)) }
            }
            let seconds = Date().timeIntervalSince(start)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(learner.phases), as: UTF8.self))
            } else {
                print("")
                print(DemoText.summary(learner, stream: stream, seconds: seconds))
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            printError(error)
            throw ExitCode.failure
        }
    }
}
