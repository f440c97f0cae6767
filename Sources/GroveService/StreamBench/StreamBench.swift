import Foundation
import GroveData
import GroveLearning
import GroveNumerics
import Logging

/// `grove bench --stream permuted`: a long permuted Fashion-MNIST stream run through the
/// daemon's machinery in process (``StreamDemo``: durable intake, the job runner, every phase
/// committed to SQLite in a temporary home), measuring each phase's cost, the process's memory
/// and the model's quality as the stream grows.
public struct StreamBench: Sendable {
    /// Domains in the stream.
    public var domains: Int
    /// Training images per domain.
    public var samples: Int
    /// Held-out images per domain.
    public var testSamples: Int
    /// Chooses the image subsets.
    public var seed: UInt64
    /// Learner settings.
    public var config: LifelongConfig

    /// A benchmark of `domains` domains; `config` defaults to the default settings with `seed`.
    public init(domains: Int, samples: Int = 6000, testSamples: Int = 1000, seed: UInt64 = 0, config: LifelongConfig? = nil) {
        self.domains = domains
        self.samples = samples
        self.testSamples = testSamples
        self.seed = seed
        self.config = config ?? {
            var c = LifelongConfig()
            c.seed = seed
            return c
        }()
    }

    /// Writes the data, runs the stream and returns the figures; the temporary directory is
    /// removed afterwards.
    /// - Parameters:
    ///   - source: the directory of Fashion-MNIST's IDX files.
    ///   - onPhase: called with each phase's record as soon as it is committed.
    /// - Throws: a reader error naming a missing Fashion-MNIST file, the first failed job as
    ///   `ServiceError.badSpec`, or a store error.
    public func run(
        source: String = BuiltinStream.fashionMNISTDirectory, logger: Logger,
        onPhase: (StreamBenchPhase) -> Void = { _ in }
    ) async throws -> StreamBenchReport {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grove-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepareStart = Stopwatch.now()
        let stream = try PermutedStream.prepare(
            domains: domains, samples: samples, testSamples: testSamples, seed: seed,
            in: scratch.appendingPathComponent("data"), source: source)
        let prepareSeconds = seconds(since: prepareStart)
        let reset = ProcessMemory.resetPeak()
        var phases: [StreamBenchPhase] = []
        let start = Stopwatch.now()
        let demo = StreamDemo(manifest: stream.manifest, config: config, limit: nil)
        let (learner, _) = try await demo.run(home: GroveHome(path: scratch.appendingPathComponent("home").path), logger: logger) { report, learner, cost in
            let phase = StreamBenchPhase(report: report, learner: learner, cost: cost, memory: ProcessMemory.resident())
            phases.append(phase)
            onPhase(phase)
        }
        let settings = StreamBenchSettings(
            stream: "permuted", domains: domains, samples: stream.samples, testSamples: stream.testSamples, seed: seed,
            blasCore: BLAS.coreName, blasThreads: BLAS.productThreads, peakRSSReset: reset)
        let totalSeconds = seconds(since: start)
        let evaluationStart = Stopwatch.now()
        let evaluations = try await PhaseExecutor.offPool { try learner.evaluateFully() }
        let full = StreamBenchSummary.FullEvaluation(evaluations, seconds: seconds(since: evaluationStart))
        let summary = StreamBenchSummary(phases: phases, totalSeconds: totalSeconds, prepareSeconds: prepareSeconds, fullEvaluation: full)
        return StreamBenchReport(settings: settings, phases: phases, summary: summary)
    }
}

/// Seconds since `start`, a ``Stopwatch/now()`` reading.
private func seconds(since start: UInt64) -> Double {
    Double(Stopwatch.now() - start) / 1e9
}

extension StreamBenchPhase {
    /// The record of a committed phase.
    init(report: PhaseReport, learner: LifelongLearner, cost: PhaseCost, memory: (current: Double, peak: Double)?) {
        let t = report.timings
        let metrics = learner.metrics
        self.init(
            phase: report.index, domain: report.domain,
            detectSeconds: t.detect, expertsSeconds: t.trainExperts, gateSeconds: t.retrainGate, gateSteps: report.gateSteps ?? 0,
            evaluateSeconds: t.evaluate, learnSeconds: t.total, otherSeconds: max(0, cost.wallSeconds - t.total),
            commitSeconds: cost.commitSeconds, wallSeconds: cost.wallSeconds,
            rssMB: memory?.current, peakRSSMB: memory?.peak,
            averageAccuracy: metrics?.averageAccuracy ?? 0, averageForgetting: metrics?.averageForgetting ?? 0,
            minRoutingAccuracy: report.evaluations.map(\.routingAccuracy).min() ?? 0)
    }
}
