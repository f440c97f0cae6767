import Foundation
import GroveStore
import Testing

/// Runs ``StoreBenchmark`` and prints its figures; never asserts on time.
/// Enabled with `GROVE_STORE_BENCH=1` (best with `-c release`).
@Suite struct StoreBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GROVE_STORE_BENCH"] != nil))
    func storeBenchmarkReportsEveryFigure() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grove-store-bench-\(UUID().uuidString)")
        let figures = try await StoreBenchmark.run(at: directory)
        for (key, value) in figures.sorted(by: { $0.key < $1.key }) {
            print("\(key): \(String(format: "%.3f", value))")
        }
        #expect(figures["store_experts"] == 1000)
        #expect(figures["store_evaluations"] == 86_625, "11 rows a domain, version after version up to 125 domains")
        let finite = figures.values.allSatisfy { $0.isFinite }
        #expect(finite)
    }
}
