import Foundation
import GroveLearning
import GroveNumerics
import GroveStore

/// `grove bench --watch HOME`: what the watch on prediction inputs costs a prediction, in
/// process. The served version of a home's model predicts one row per call, in rounds that
/// alternate between a host whose inputs are watched and one whose are not, on a copy of the
/// home's store (the watch records the windows it tests there, never in the home). Each watched
/// round fills several windows, so their tests on the background thread run during the
/// measured calls.
public struct WatchLatencyBench: Sendable {
    /// The figures, in microseconds per one-row prediction. Key names are a contract.
    public struct Report: Sendable, Codable, Equatable {
        /// The model measured and its served version.
        public var model: String
        public var version: Int
        /// Medians over rounds of each round's median and 99th percentile.
        public var watch_off_p50_us: Double
        public var watch_off_p99_us: Double
        public var watch_on_p50_us: Double
        public var watch_on_p99_us: Double
        /// On over off.
        public var p50_ratio: Double
        public var p99_ratio: Double
        /// Rounds per mode and calls per round.
        public var rounds: Int
        public var calls_per_round: Int
        /// Windows the watch tested while the watched rounds ran.
        public var windows_tested: Int
    }

    /// The home whose store is copied.
    public var home: GroveHome
    /// The model measured.
    public var model: String
    /// Rounds per mode, and calls per round.
    public var rounds: Int
    public var calls: Int

    /// A benchmark of `model` in `home`.
    public init(home: GroveHome, model: String, rounds: Int = 7, calls: Int = 2000) {
        self.home = home
        self.model = model
        self.rounds = rounds
        self.calls = calls
    }

    /// Runs the rounds over the rows of `inputs` (one per call, cycling).
    /// - Throws: ``ServiceError/noModel(name:)`` before the model's first phase, a `StoreError`
    ///   when the store cannot be copied, or ``ServiceError/badInput(_:)`` for rows of another width.
    public func run(inputs: Matrix) async throws -> Report {
        // One OpenBLAS thread, as the daemon runs (the watch's tests set it too): both modes
        // then compute the same way.
        BLAS.setThreads(1)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grove-watch-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var readOnly = SQLiteStore.Configuration()
        readOnly.readonly = true
        let original = try SQLiteStore.open(path: home.database.path, configuration: readOnly)
        let store = try await original.copy(to: scratch.appendingPathComponent(SQLiteStore.fileName).path)
        try original.close()
        defer { try? store.close() }

        let watched = try await Self.served(model, store: store, watch: WatchSettings())
        let plain = try await Self.served(model, store: store, watch: nil)
        guard inputs.cols == plain.served.inputs, inputs.rows > 0 else {
            throw ServiceError.badInput("samples have \(inputs.cols) features, model '\(model)' expects \(plain.served.inputs)")
        }
        // The watch reads the domains' signatures in the background; rows count once it has.
        let deadline = ContinuousClock.now + .seconds(60)
        while try watched.served.predict(row(0, of: inputs)).novelty == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let windowsBefore = watched.host.watchFigures?.windows ?? 0
        var off: (p50: [Double], p99: [Double]) = ([], [])
        var on: (p50: [Double], p99: [Double]) = ([], [])
        var next = 0
        for _ in 0..<rounds {
            for (mode, served) in [(false, plain.served), (true, watched.served)] {
                var latencies: [Double] = []
                latencies.reserveCapacity(calls)
                for _ in 0..<calls {
                    let x = row(next % inputs.rows, of: inputs)
                    next += 1
                    let start = Stopwatch.now()
                    _ = try served.predict(x)
                    latencies.append(Double(Stopwatch.now() - start) / 1e3)
                }
                if mode {
                    on.p50.append(latencies.median)
                    on.p99.append(latencies.quantile(0.99))
                } else {
                    off.p50.append(latencies.median)
                    off.p99.append(latencies.quantile(0.99))
                }
                // Lets the watch's tester, a task of the cooperative pool, pick up full windows.
                await Task.yield()
            }
        }
        let windows = (watched.host.watchFigures?.windows ?? 0) - windowsBefore
        return Report(model: model, version: plain.served.version,
                      watch_off_p50_us: off.p50.median, watch_off_p99_us: off.p99.median,
                      watch_on_p50_us: on.p50.median, watch_on_p99_us: on.p99.median,
                      p50_ratio: on.p50.median / max(off.p50.median, 1e-9), p99_ratio: on.p99.median / max(off.p99.median, 1e-9),
                      rounds: rounds, calls_per_round: calls, windows_tested: windows)
    }

    /// Row `index` of `inputs` as a one-row matrix.
    private func row(_ index: Int, of inputs: Matrix) -> Matrix {
        Matrix(rows: 1, cols: inputs.cols, storage: Array(inputs.storage[(index * inputs.cols)..<((index + 1) * inputs.cols)]))
    }

    /// A host of `model` over `store`, watched as `watch` says, and the version it serves.
    private static func served(_ model: String, store: any Store, watch: WatchSettings?) async throws -> (host: ModelHost, served: ServedModel) {
        let hosts = try ModelHosts(store: store, config: LifelongConfig(), watch: watch)
        let host = try await hosts.host(named: model)
        guard let served = host.served else { throw ServiceError.noModel(name: model) }
        return (host, served)
    }
}
