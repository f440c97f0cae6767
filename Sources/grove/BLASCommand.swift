import ArgumentParser
import GroveNumerics

/// `grove blas`: the kernels OpenBLAS runs in this process, who chose them, and what `cpuid`
/// suggests; the same `blas_*` keys as `grove bench --json`, without the benchmark.
struct BLASCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blas",
        abstract: "Show the CPU kernels OpenBLAS runs, who chose them (openblas, grove or user) and its thread count."
    )

    @Flag(help: "Print one JSON object.")
    var json = false

    /// What `grove blas` prints. Key names are a contract (shared with `grove bench --json`).
    struct Report: Encodable {
        /// ``BLAS/coreName``.
        var blas_core: String
        /// ``BLAS/coreSource``.
        var blas_core_source: BLASCoreSource
        /// ``BLAS/productThreads``.
        var blas_threads: Int
        /// The core Grove would set from `cpuid` were OpenBLAS's weaker; `nil` off x86-64.
        var cpu_suggests: String?
        /// OpenBLAS's build configuration.
        var openblas_config: String
    }

    func run() throws {
        let report = Report(
            blas_core: BLAS.coreName, blas_core_source: BLAS.coreSource, blas_threads: BLAS.productThreads,
            cpu_suggests: CPUFeatures.current.flatMap { BLASCoreChoice.suggestion(for: $0, version: BLAS.version) },
            openblas_config: BLAS.configuration)
        if json {
            try printJSON(report)
            return
        }
        var table = TextTable(header: ["core", report.blas_core])
        table.rows = [
            ["chosen by", report.blas_core_source.rawValue],
            ["threads", String(report.blas_threads)],
            ["cpuid suggests", report.cpu_suggests ?? "nothing"],
            ["openblas", report.openblas_config],
        ]
        print(table.render())
    }
}
