import ArgumentParser
import Foundation
import GroveData
import GroveLearning
import GroveService
import Logging

/// `grove demo`: the main job on the embedded default — a built-in stream learned end to end
/// through the daemon's machinery (durable intake, job queue, phase commits in SQLite) in a
/// temporary home unless `--home` is given, then the per-domain report.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Learn a built-in Fashion-MNIST stream end to end and print per-domain results."
    )

    @Option(help: "Built-in stream: split-fashion-mnist or permuted-fashion-mnist.")
    var stream = BuiltinStream.splitFashionMNIST.name

    @Option(help: "A job manifest to run instead of a built-in stream (e.g. jobs/permuted-fashion-mnist-10.yaml).")
    var manifest: String?

    @Option(help: "Home directory to keep the store in (default: a temporary one).")
    var home: String?

    @Flag(help: "A fifth of the training data, one expert epoch, no minimum step count and a quarter of the gate steps: a smoke run in seconds.")
    var quick = false

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Passes over each domain's data when its experts train (exactly: no minimum step count).")
    var epochs: Int?

    @Option(help: ArgumentHelp("A JSON object of learner settings to change, e.g. {\"gateLearningRate\": 0.0005}; applied after --quick and --epochs.", valueName: "file"))
    var settings: String?

    @Flag(help: "Print the phases as JSON.")
    var json = false

    func validate() throws {
        guard BuiltinStream(name: stream) != nil else {
            throw ValidationError("unknown stream '\(stream)'; choose \(BuiltinStream.allCases.map(\.name).joined(separator: " or "))")
        }
    }

    func run() async throws {
        do {
            guard let builtin = BuiltinStream(name: stream) else { throw ExitCode.validationFailure }
            let manifest = try self.manifest.map { try JobManifest.load(path: $0) } ?? builtin.manifest()
            var config = LifelongConfig()
            config.seed = seed
            if quick {
                config.expertEpochs = 1
                config.expertMinimumSteps = 0
                config.gateSteps = 150
            }
            if let epochs {
                config.expertEpochs = epochs
                config.expertMinimumSteps = 0
            }
            if let settings { config = try learnerSettings(from: settings, over: config) }
            let path = home ?? FileManager.default.temporaryDirectory.appendingPathComponent("grove-demo-\(UUID().uuidString)").path
            defer { if home == nil { try? FileManager.default.removeItem(atPath: path) } }
            let demo = StreamDemo(manifest: manifest, config: config, limit: quick ? 2400 : nil)
            let start = Date()
            let quiet = json
            var logger = Logger(label: "grove.demo")
            logger.logLevel = .warning
            var phases: [PhaseReport] = []
            let (_, report) = try await demo.run(home: GroveHome(path: path), logger: logger) { phase, _, _ in
                phases.append(phase)
                if !quiet { print(DemoText.phaseLine(phase)) }
            }
            let seconds = Date().timeIntervalSince(start)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(phases), as: UTF8.self))
            } else {
                print("")
                print(DemoText.summary(report, stream: manifest.name, seconds: seconds))
                if home != nil { print("store: \(path)/grove.sqlite (grove report --home \(path) and the other read-only commands read it)") }
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            printError(error)
            throw ExitCode.failure
        }
    }
}
