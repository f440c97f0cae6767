import Foundation
import GroveNumerics
@testable import GroveService
import Testing

/// `grove bench --watch`: watched rounds record their windows in a copy of the home's store,
/// never in the home, and the baseline watches neither host.
@Suite struct WatchLatencyBenchTests {
    /// Rows of the first domain the fixture's model learned.
    private static func inputs() -> Matrix {
        let rows = csv(classes: [0, 1], region: 1, rows: 200, seed: 9).split(separator: "\n").dropFirst()
            .map { line in line.split(separator: ",").dropFirst().compactMap { Float($0) } }
        return Matrix(rows: rows.count, cols: rows.first?.count ?? 0, storage: rows.flatMap { $0 })
    }

    /// How many windows get tested depends on idle CPU (the tester runs in the idle scheduling
    /// class), which a full parallel test run does not leave; the watched host must have
    /// answered with novelty before the rounds, or the bench throws.
    @Test func watchedRoundsRunOnACopyOfTheStore() async throws {
        let temp = TemporaryHome()
        let daemon = try await daemonWithTwoVersions(home: temp.home)
        var watch = WatchSettings()
        watch.windowRows = 64
        let bench = WatchLatencyBench(home: temp.home, model: "default", rounds: 3, roundLength: .milliseconds(200), watch: watch)
        let report = try await bench.run(inputs: Self.inputs())
        #expect(report.watched && report.version == 2 && report.rounds == 3 && report.calls_per_round > 0)
        #expect([report.watch_on_p50_us, report.watch_off_p50_us, report.p50_ratio, report.p99_ratio,
                 report.watch_on_pooled_p99_us, report.watch_off_pooled_p99_us, report.pooled_p99_ratio].allSatisfy { $0 > 0 && $0.isFinite })
        #expect(try await daemon.store.driftWindows(model: "default", before: nil, limit: 10).isEmpty,
                "the windows are recorded in the copy, not in the home")
    }

    @Test func theBaselineWatchesNeitherHost() async throws {
        let temp = TemporaryHome()
        _ = try await daemonWithTwoVersions(home: temp.home)
        var watch = WatchSettings()
        watch.enabled = false
        let bench = WatchLatencyBench(home: temp.home, model: "default", rounds: 2, roundLength: .milliseconds(100), watch: watch)
        let report = try await bench.run(inputs: Self.inputs())
        #expect(!report.watched && report.windows_tested == 0 && report.calls_per_round > 0)
    }

    @Test func rowsOfAnotherWidthAreRefused() async throws {
        let temp = TemporaryHome()
        _ = try await daemonWithTwoVersions(home: temp.home)
        let bench = WatchLatencyBench(home: temp.home, model: "default", rounds: 1, roundLength: .milliseconds(10))
        await #expect(throws: ServiceError.self) {
            _ = try await bench.run(inputs: Matrix(rows: 2, cols: 5, storage: [Float](repeating: 0, count: 10)))
        }
    }
}
