import Foundation
import GroveStore
import GroveStorePostgres
import GroveTestSupport
import Testing

/// Runs ``StoreBenchmark`` on each backend and prints its figures; never asserts on time.
/// Enabled with `GROVE_STORE_BENCH=1` (best with `-c release`). PostgreSQL figures come from
/// the server at `GROVE_STORE_BENCH_POSTGRES` (a URL whose user may create databases), else
/// from the tests' throwaway server, which runs without fsync and so commits faster than a
/// real one.
@Suite(.serialized) struct StoreBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GROVE_STORE_BENCH"] != nil), arguments: Backend.allCases)
    func storeBenchmarkReportsEveryFigure(backend: Backend) async throws {
        let figures: [String: Double]
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grove-store-bench-\(UUID().uuidString)")
            figures = try await StoreBenchmark.run(at: directory)
        case .postgres:
            var opened: [PostgresStore] = []
            figures = try await StoreBenchmark.run { _ in
                let store = try await PostgresStore.open(url: try Self.benchDatabase())
                opened.append(store)
                return store
            }
            for store in opened { await store.close() }
        }
        for (key, value) in figures.sorted(by: { $0.key < $1.key }) {
            print("\(backend) \(key): \(String(format: "%.3f", value))")
        }
        #expect(figures["store_experts"] == 1000)
        #expect(figures["store_evaluations"] == 86_625, "11 rows a domain, version after version up to 125 domains")
        let finite = figures.values.allSatisfy { $0.isFinite }
        #expect(finite)
    }

    /// A new database on the benchmark server, or on the tests' own.
    private static func benchDatabase() throws -> String {
        let cluster = try PostgresTestCluster.shared()
        guard let server = ProcessInfo.processInfo.environment["GROVE_STORE_BENCH_POSTGRES"] else {
            return try cluster.makeDatabase()
        }
        let name = "grove_bench_\(UUID().uuidString.prefix(8).lowercased())"
        try cluster.psql(server, ["-c", "CREATE DATABASE \(name)"])
        guard var components = URLComponents(string: server) else { throw StoreError.invalidArgument("GROVE_STORE_BENCH_POSTGRES is not a URL") }
        components.path = "/" + name
        return components.string ?? server
    }
}
