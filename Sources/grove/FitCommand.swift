import ArgumentParser
import Foundation
import GroveBench
import GroveModel
import GroveNumerics

/// `grove fit`: trains one Mixture-of-Experts (by default 8 experts of 784 → 256 → 10, top-2)
/// on the whole Fashion-MNIST training set, no lifelong machinery, and prints its test accuracy.
/// The engine's accuracy check.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Train one Mixture-of-Experts on all of Fashion-MNIST and print its test accuracy."
    )

    @Flag(help: "One epoch on a fifth of the data.")
    var quick = false

    @Option(help: "Training epochs.")
    var epochs = 2

    @Option(help: "Number of experts.")
    var experts = 8

    @Option(help: "Experts kept per input.")
    var topK = 2

    @Option(help: "Adam learning rate.")
    var learningRate: Float = 2e-3

    @Option(help: "Gate noise standard deviation while training.")
    var noise: Float = 0.1

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    func run() throws {
        do {
            var data = try FashionMNIST.load()
            if quick {
                data.trainX = Matrix(rows: 12_000, cols: 784, storage: Array(data.trainX.storage.prefix(12_000 * 784)))
                data.trainY = Array(data.trainY.prefix(12_000))
            }
            let model = try MixtureOfExperts.uniform(inputs: 784, hidden: 256, classCount: 10, experts: experts,
                                                     normalization: InputNormalization(fittedTo: data.trainX),
                                                     config: MoEConfig(topK: topK, noiseStd: noise), seed: seed)
            let trainer = try MoETrainer(model: model, options: TrainingOptions(optimizer: AdamWConfig(learningRate: learningRate), seed: seed, schedule: .cosine))
            let epochs = quick ? 1 : self.epochs
            let start = Date()
            let losses = try trainer.fit(x: data.trainX, y: data.trainY, epochs: epochs, batchSize: 128, seed: seed)
            let seconds = Date().timeIntervalSince(start)
            let predictor = try MoEPredictor(model: trainer.model)
            let accuracy = try predictor.accuracy(x: data.testX, y: data.testY)
            for (e, loss) in losses.enumerated() { print(String(format: "epoch %d  loss %.4f", e + 1, loss)) }
            print(String(format: "trained %d samples x %d epochs in %.1f s", data.trainX.rows, epochs, seconds))
            print(String(format: "test accuracy %.4f on %d Fashion-MNIST test images (%d experts, top-%d)", accuracy, data.testX.rows, experts, topK))
        } catch {
            printError(error)
            throw ExitCode.failure
        }
    }
}
