import Foundation
import GroveService
import GroveStore
import GroveStorePostgres

/// `grove bench --store`: ``StoreBenchmark`` on the home's kind of store (SQLite, in a
/// temporary directory) or on a PostgreSQL server, in new databases it creates next to the
/// one the URL names (its user needs CREATEDB) and drops afterwards.
enum StoreBenchRun {
    static func run(_ location: StoreLocation, options: StoreBenchmark.Options) async throws -> [String: Double] {
        switch location {
        case .home:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grove-store-bench-\(UUID().uuidString)")
            return try await StoreBenchmark.run(at: directory, options: options)
        case .postgres(let server):
            let admin = try await PostgresStore.open(location: server)
            var created: [(name: String, store: PostgresStore)] = []
            func dropAll() async {
                for (name, store) in created {
                    await store.close()
                    _ = try? await admin.unsafeRows("DROP DATABASE IF EXISTS \(name)")
                }
                await admin.close()
            }
            do {
                let figures = try await StoreBenchmark.run(options: options) { workload in
                    let name = "grove_bench_\(workload)_\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
                    _ = try await admin.unsafeRows("CREATE DATABASE \(name)")
                    var location = server
                    location.database = name
                    let store = try await PostgresStore.open(location: location)
                    created.append((name, store))
                    return store
                }
                await dropAll()
                return figures
            } catch {
                await dropAll()
                throw error
            }
        }
    }
}
