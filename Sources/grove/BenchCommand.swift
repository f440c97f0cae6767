import ArgumentParser
import Foundation
import GroveBench
import GroveLearning
import GroveService
import GroveStore
import Logging

/// `grove bench`: performance figures of the engine, or with `--stream` of a long stream run
/// through the daemon's machinery.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training throughput, prediction latency and GEMM speed (use a release build).",
        discussion: """
            With --stream permuted --domains N: learn N permuted Fashion-MNIST domains through the \
            daemon's machinery in process and report each phase's timings, memory and quality. \
            With --store sqlite or --store postgres://…: measure the store instead (acknowledged \
            submissions per second, phase commit latency, lineage and history queries). With \
            --watch HOME: one-row prediction latency of HOME's model (--model) with the watch on \
            its inputs and without, in alternating rounds on Fashion-MNIST test images, over a \
            copy of HOME's store.
            """
    )

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Fewer repetitions.")
    var quick = false

    @Option(help: ArgumentHelp("Benchmark a store instead: sqlite, or a postgres:// URL whose user may create databases.", valueName: "store"))
    var store: String?

    @Option(help: ArgumentHelp("Measure what the watch on prediction inputs costs the model of this home instead.", valueName: "home"))
    var watch: String?

    @Option(help: "The model measured (with --watch).")
    var model = "default"

    @Option(help: ArgumentHelp("The most of one core the watch's window tests may take (with --watch; 0.01 to 1, default 0.1).", valueName: "share"))
    var watchCPU: Double?

    @Flag(help: "Watch neither host (with --watch): the ratios then show the measurement's own noise.")
    var unwatchedBaseline = false

    @Option(help: "Benchmark a stream instead: permuted.")
    var stream: String?

    @Option(help: "Domains in the stream (with --stream).")
    var domains: Int?

    @Option(help: "Training images per domain (with --stream; default 6000).")
    var samples: Int?

    @Option(help: "Held-out images per domain (with --stream; default 1000).")
    var testSamples: Int?

    @Option(help: "Seed of the image subsets and the learner (with --stream; default 0).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("A JSON object of learner settings to change (with --stream), e.g. {\"gateSteps\": 500}.", valueName: "file"))
    var settings: String?

    func validate() throws {
        if watch != nil {
            guard store == nil, stream == nil else { throw ValidationError("--watch measures a home's model alone: no --store or --stream") }
            if let watchCPU, !(WatchSettings.smallestCPUShare ... 1).contains(watchCPU) {
                throw ValidationError("--watch-cpu must be in \(WatchSettings.smallestCPUShare)...1")
            }
            return
        }
        guard watchCPU == nil, !unwatchedBaseline else { throw ValidationError("--watch-cpu and --unwatched-baseline apply to --watch HOME") }
        if store != nil {
            guard stream == nil, !quick else { throw ValidationError("--store measures the store alone: no --stream or --quick") }
            _ = try StoreLocation(store)
            return
        }
        guard let stream else {
            guard domains == nil, samples == nil, testSamples == nil, seed == nil, settings == nil else {
                throw ValidationError("--domains, --samples, --test-samples, --seed and --settings need --stream permuted")
            }
            return
        }
        guard stream == "permuted" else { throw ValidationError("unknown stream '\(stream)'; the only one is permuted") }
        guard !quick else { throw ValidationError("--quick applies to the engine figures, not to --stream") }
        guard let domains, domains >= 1 else { throw ValidationError("--stream needs --domains N, N ≥ 1") }
        guard (1 ... 60000).contains(samples ?? 6000) else { throw ValidationError("--samples must be in 1...60000") }
        guard (1 ... 10000).contains(testSamples ?? 1000) else { throw ValidationError("--test-samples must be in 1...10000") }
    }

    func run() async throws {
        if let store {
            try await reportingErrors {
                let figures = try await StoreBenchRun.run(try StoreLocation(store), options: StoreBenchmark.Options())
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    print(String(decoding: try encoder.encode(figures), as: UTF8.self))
                } else {
                    for (key, value) in figures.sorted(by: { $0.key < $1.key }) { print("\(key): \(String(format: "%.3f", value))") }
                }
            }
            return
        }
        if stream != nil {
            try await runStream()
            return
        }
        if let watch {
            try await runWatch(home: watch)
            return
        }
        let report = Benchmark.run(quick: quick)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(String(format: "MoE train, batch 128:   %9.0f samples/s  (%.1f GFLOP/s useful)", report.moe_train_samples_per_s, report.moe_train_useful_gflops))
            print(String(format: "MoE train, batch 1024:  %9.0f samples/s  (%.1f GFLOP/s useful)", report.moe_train_samples_per_s_b1024, report.moe_train_useful_gflops_b1024))
            print(String(format: "predict, one sample:    p50 %.1f µs, p99 %.1f µs (medians of %d rounds of %d calls)",
                         report.predict_latency_us_p50, report.predict_latency_us_p99,
                         report.predict_rounds, report.predict_calls_per_round))
            print(String(format: "                        worst round's p99 %.1f µs", report.predict_latency_us_p99_worst_round))
            print(String(format: "sgemm 1024³:            %.1f GFLOP/s on %d cores", report.sgemm_gflops, report.cores))
            print(String(format: "detect, 6 000 rows:     %.1f ms against 10 domains, %.1f ms against 1 000",
                         report.detect_ms_10_domains, report.detect_ms_1000_domains))
            print("BLAS kernels:           \(report.blas_core) (chosen by \(report.blas_core_source.rawValue)), \(report.blas_threads) threads")
            print("data: \(report.data)")
        }
    }

    /// `--watch HOME`: the watch's cost to one-row predictions of HOME's model.
    private func runWatch(home: String) async throws {
        let (json, quick, model) = (json, quick, model)
        var settings = WatchSettings()
        if let watchCPU { settings.cpuShare = watchCPU }
        settings.enabled = !unwatchedBaseline
        try await reportingErrors { [settings] in
            let images = try FashionMNIST.load().testX
            let bench = quick ? WatchLatencyBench(home: GroveHome(path: home), model: model, rounds: 4, watch: settings)
                : WatchLatencyBench(home: GroveHome(path: home), model: model, watch: settings)
            let report = try await bench.run(inputs: images)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            print("model \(report.model), version \(report.version): one Fashion-MNIST test image per call, "
                + String(format: "%d rounds of %.2f s per mode (%d calls per round)", report.rounds, report.round_seconds, report.calls_per_round))
            print(String(format: "watch off:  p50 %.1f µs, p99 %.1f µs", report.watch_off_p50_us, report.watch_off_p99_us))
            if report.watched {
                print(String(format: "watch on:   p50 %.1f µs, p99 %.1f µs  (%d windows tested meanwhile, tester's share %.2f of a core)",
                             report.watch_on_p50_us, report.watch_on_p99_us, report.windows_tested, report.watch_cpu_share))
            } else {
                print(String(format: "baseline:   p50 %.1f µs, p99 %.1f µs  (the same version, not watched either)", report.watch_on_p50_us, report.watch_on_p99_us))
            }
            print(String(format: "on / off:   p50 %.3f (95%% interval %.3f-%.3f), p99 %.3f (%.3f-%.3f)", report.p50_ratio,
                         report.p50_ratio_low, report.p50_ratio_high, report.p99_ratio, report.p99_ratio_low, report.p99_ratio_high))
            print(String(format: "pooled p99: off %.1f µs, on %.1f µs, on / off %.3f  (every call of a mode, all rounds together)",
                         report.watch_off_pooled_p99_us, report.watch_on_pooled_p99_us, report.pooled_p99_ratio))
        }
    }

    /// `--stream permuted`: the table as phases commit, or one JSON object at the end.
    private func runStream() async throws {
        var config = LifelongConfig()
        config.seed = seed ?? 0
        if let settings {
            do {
                config = try learnerSettings(from: settings, over: config)
            } catch {
                printError(error)
                throw ExitCode.failure
            }
        }
        let bench = StreamBench(domains: domains ?? 1, samples: samples ?? 6000, testSamples: testSamples ?? 1000, seed: seed ?? 0,
                                config: config)
        var logger = Logger(label: "grove.bench")
        logger.logLevel = .warning
        let quiet = json
        if !quiet { print(StreamBenchText.header) }
        let report: StreamBenchReport
        do {
            report = try await bench.run(logger: logger) { phase in
                if !quiet { print(StreamBenchText.line(phase)) }
            }
        } catch {
            printError(error)
            throw ExitCode.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("")
            print(StreamBenchText.summary(report))
        }
    }
}
