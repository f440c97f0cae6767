import Foundation
import GroveLearning
import GroveNumerics
import GroveStore

/// `grove bench --watch HOME`: what the watch on prediction inputs costs a prediction, in
/// process. The served version of a home's model predicts one row per call, in timed rounds
/// that alternate between the version with its watch and the same version without it
/// (``ServedModel/unwatched()``: the same weights and predictors, so that where they lie in
/// memory favours neither), on a copy of the home's store (the watch records the windows it
/// tests there, never in the home).
///
/// The stream is faster than the tester can test, so windows queue as in a daemon under
/// sustained load, and in watched rounds the tester alternates tests with the rests its CPU
/// share asks for. During unwatched rounds it is held (``ModelHost/holdWatchTests()``): the
/// test under way finishes first, so no window test runs while the unwatched host predicts,
/// as in a daemon started without the watch. Rounds are short and follow each other without
/// a pause, so that the machine's own swings in speed, which last seconds on a shared host,
/// fall alike on both rounds of a pair; the report gives each ratio's median over pairs with
/// a 95 % interval for it.
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
        /// On over off: the median over rounds of the watched round's figure over the
        /// unwatched one of the same round (pairs taken close together drift less apart).
        public var p50_ratio: Double
        public var p99_ratio: Double
        /// A 95 % interval for each ratio's median, whatever the ratios' distribution
        /// (``Swift/Array/medianInterval(confidence:)``): how far the machine's noise leaves it open.
        public var p50_ratio_low: Double
        public var p50_ratio_high: Double
        public var p99_ratio_low: Double
        public var p99_ratio_high: Double
        /// The 99th percentile of every call of a mode, all rounds pooled, and on over off:
        /// a test that falls in few rounds moves this figure, and barely the median over rounds.
        public var watch_off_pooled_p99_us: Double
        public var watch_on_pooled_p99_us: Double
        public var pooled_p99_ratio: Double
        /// Rounds per mode, each round's length, and the median calls per round.
        public var rounds: Int
        public var round_seconds: Double
        public var calls_per_round: Int
        /// Windows the watch tested while the watched rounds ran.
        public var windows_tested: Int
        /// The share of one core the watch's tester was given (`--watch-cpu`).
        public var watch_cpu_share: Double
        /// False for the baseline in which neither host was watched.
        public var watched: Bool
    }

    /// The home whose store is copied.
    public var home: GroveHome
    /// The model measured.
    public var model: String
    /// Rounds per mode, and how long each lasts.
    public var rounds: Int
    public var roundLength: Duration
    /// How the watched host watches, its tester's CPU share in particular. With the watch
    /// disabled neither host is watched: the ratios then show the noise of the comparison.
    public var watch: WatchSettings

    /// A benchmark of `model` in `home`, its inputs watched as `watch` says.
    public init(home: GroveHome, model: String, rounds: Int = 40, roundLength: Duration = .milliseconds(250), watch: WatchSettings = WatchSettings()) {
        self.home = home
        self.model = model
        self.rounds = rounds
        self.roundLength = roundLength
        self.watch = watch
    }

    /// Runs the rounds over the rows of `inputs` (one per call, cycling).
    /// - Throws: ``ServiceError/noModel(name:)`` before the model's first phase, a `StoreError`
    ///   when the store cannot be copied, ``ServiceError/badInput(_:)`` for rows of another width,
    ///   or ``ServiceError/watchNotReady(model:seconds:)`` when the watch has not loaded the
    ///   model's domains after 5 minutes.
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

        let (host, watched) = try await Self.served(model, store: store, watch: watch.enabled ? watch : nil)
        do {
            let report = try await measure(host: host, watched: watched, plain: watched.unwatched(), inputs: inputs)
            await host.stopWatching()
            return report
        } catch {
            await host.stopWatching()
            throw error
        }
    }

    /// The alternating rounds.
    private func measure(host: ModelHost, watched: ServedModel, plain: ServedModel, inputs: Matrix) async throws -> Report {
        guard inputs.cols == plain.inputs, inputs.rows > 0 else {
            throw ServiceError.badInput("samples have \(inputs.cols) features, model '\(model)' expects \(plain.inputs)")
        }
        // The watch reads the domains' signatures in the background (on dispatch threads that
        // phases share); rows count once it has.
        let deadline = ContinuousClock.now + .seconds(300)
        while watch.enabled, try watched.predict(row(0, of: inputs)).novelty == nil {
            guard ContinuousClock.now < deadline else {
                throw ServiceError.watchNotReady(model: model, seconds: 300)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        var off: (p50: [Double], p99: [Double], all: [Double]) = ([], [], [])
        var on: (p50: [Double], p99: [Double], all: [Double]) = ([], [], [])
        var calls: [Double] = []
        var windows = 0
        var next = 0
        let nanoseconds = UInt64(roundLength.components.seconds) * 1_000_000_000 + UInt64(roundLength.components.attoseconds / 1_000_000_000)
        for round in 0..<rounds {
            // Each mode goes first in every other round, so that neither gains from its place.
            let order = [(false, plain), (true, watched)]
            for (isWatched, served) in round % 2 == 0 ? order : order.reversed() {
                if isWatched { host.releaseWatchTests() } else { await host.holdWatchTests() }
                let windowsBefore = host.watchFigures?.windows ?? 0
                var latencies: [Double] = []
                let end = Stopwatch.now() + nanoseconds
                while Stopwatch.now() < end {
                    let x = row(next % inputs.rows, of: inputs)
                    next += 1
                    let start = Stopwatch.now()
                    _ = try served.predict(x)
                    latencies.append(Double(Stopwatch.now() - start) / 1e3)
                    // A request handler suspends between requests; so does this loop now and
                    // then, or the watch's bookkeeping, which runs on the cooperative pool, would
                    // wait for the round's end.
                    if latencies.count % 64 == 0 { await Task.yield() }
                }
                calls.append(Double(latencies.count))
                if isWatched {
                    windows += (host.watchFigures?.windows ?? 0) - windowsBefore
                    on.p50.append(latencies.median)
                    on.p99.append(latencies.quantile(0.99))
                    on.all.append(contentsOf: latencies)
                } else {
                    off.p50.append(latencies.median)
                    off.p99.append(latencies.quantile(0.99))
                    off.all.append(contentsOf: latencies)
                }
            }
        }
        let p50Ratios = zip(on.p50, off.p50).map { $0 / max($1, 1e-9) }
        let p99Ratios = zip(on.p99, off.p99).map { $0 / max($1, 1e-9) }
        let (p50Interval, p99Interval) = (p50Ratios.medianInterval(), p99Ratios.medianInterval())
        let pooledP99 = (on: on.all.quantile(0.99), off: off.all.quantile(0.99))
        return Report(model: model, version: plain.version,
                      watch_off_p50_us: off.p50.median, watch_off_p99_us: off.p99.median,
                      watch_on_p50_us: on.p50.median, watch_on_p99_us: on.p99.median,
                      p50_ratio: p50Ratios.median, p99_ratio: p99Ratios.median,
                      p50_ratio_low: p50Interval.lowerBound, p50_ratio_high: p50Interval.upperBound,
                      p99_ratio_low: p99Interval.lowerBound, p99_ratio_high: p99Interval.upperBound,
                      watch_off_pooled_p99_us: pooledP99.off, watch_on_pooled_p99_us: pooledP99.on,
                      pooled_p99_ratio: pooledP99.on / max(pooledP99.off, 1e-9),
                      rounds: rounds, round_seconds: Double(nanoseconds) / 1e9, calls_per_round: Int(calls.median),
                      windows_tested: windows, watch_cpu_share: watch.cpuShare, watched: watch.enabled)
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
