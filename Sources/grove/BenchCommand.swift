import ArgumentParser
import Foundation
import GroveBench

/// `grove bench`: performance figures of the engine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training throughput, prediction latency and GEMM speed (use a release build)."
    )

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Fewer repetitions.")
    var quick = false

    func run() throws {
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
            print("BLAS kernels:           \(report.blas_core) (chosen by \(report.blas_core_source.rawValue)), \(report.blas_threads) threads")
            print("data: \(report.data)")
        }
    }
}
