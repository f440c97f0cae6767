import Foundation
import GroveLearning
import GroveNumerics
import GroveStore
import Logging
import Synchronization

/// Watches one model's prediction inputs for a distribution the model does not know.
///
/// Every predicted row is scored for novelty against the served version's domains
/// (``NoveltyScorer``), on the prediction's hot helper thread while the gate runs when it can
/// (``ServedModel/predict(_:)``), and copied into the current window under a lock, without any
/// I/O: a prediction pays a copy and `2 D × domains` multiply-adds a row. A full window is handed to
/// a background task, which tests it against the known domains (``WindowTest``) on a thread of
/// the lowest priority (``BackgroundThread``), records it in the store, and raises a drift event when
/// ``WatchSettings/consecutive`` windows in a row do not fit (``DriftAlarm``): the event keeps
/// the run's rows as a candidate dataset, extended by the run's later windows up to
/// ``WatchSettings/candidateRows``, and is posted to ``WatchSettings/webhook`` if one is set.
///
/// The tester keeps to ``WatchSettings/cpuShare`` of one core: after each test it rests for
/// as long as the share leaves, counting the test's time on its thread rather than only its CPU
/// time, so that when predictions keep the cores busy and a test waits for its turns, the tests
/// come less often (they then get the idle class's small share, and each of its turns takes a
/// core from a request). Full windows wait for it in a queue of at most ``maxWaiting``;
/// once the queue is full, the window being filled stays one window: each further row
/// replaces one of its rows at random with the chance that keeps it a uniform sample of every
/// row offered since it started (reservoir sampling). So a burst is tested window by window,
/// memory stays bounded however fast predictions come, and a sustained fast stream is tested
/// as often as the share allows.
final class PredictionWatch: Sendable {
    /// The most full windows that wait for the tester.
    static let maxWaiting = 8

    /// The watched model.
    let model: String
    let settings: WatchSettings
    private let store: any Store
    /// Decoded signature rows by blob, for the window tests: reading, hashing and decoding a
    /// signature for every window cost more than the test. Kept while they fit
    /// ``cachedSignatureBytes``; those of domains no longer served are dropped.
    private let signatureRows = Mutex<[String: Matrix]>([:])
    /// The bytes of signature rows kept in memory per model.
    static let cachedSignatureBytes = 64 << 20
    private let webhook: DriftWebhook?
    private let metrics: GroveMetrics
    private let logger: Logger
    private let state = Mutex(State())
    private let ready: AsyncStream<Void>.Continuation
    private let tester: Task<Void, Never>

    /// What a scrape of `/metrics` reports.
    struct Figures: Sendable, Equatable {
        /// The p-value of the latest tested window.
        var lastPValue: Double?
        /// The median novelty of the latest tested window.
        var lastNovelty: Double?
        /// Windows tested and drift events raised since the daemon started.
        var windows = 0
        var events = 0
    }

    /// The version being watched: its domains' profiles and signature blobs.
    private struct Served: Sendable {
        var version: Int
        var scorer: NoveltyScorer
        var signatures: [String]
    }

    private struct State: Sendable {
        var served: Served?
        /// The window being filled, of the served version's width.
        var window = RowReservoir(capacity: 1, width: 0, seed: 0)
        var waiting: [(rows: [Float], served: Served)] = []
        var alarm = DriftAlarm(consecutive: 1)
        var run: (rows: [Float], count: Int, windows: [Int64]) = ([], 0, [])
        /// The event raised for the current run, whose candidate its later windows extend.
        var candidateEvent: Int64?
        var figures = Figures()
        var tests = 0
        /// Whether the tester is testing a window now (not resting).
        var testing = false
        /// Whether tests are held (``holdTests()``).
        var held = false
        /// Profiles by signature blob: a new version reads only its new or changed signatures.
        var profiles: [String: DomainProfile] = [:]
    }

    /// A watch of `model` recording to `store` and counting its windows and events in
    /// `metrics`, with its background tester started.
    init(model: String, settings: WatchSettings, store: any Store, webhook: DriftWebhook? = nil, metrics: GroveMetrics, logger: Logger) {
        self.model = model
        self.settings = settings
        self.store = store
        self.webhook = webhook
        self.metrics = metrics
        self.logger = logger
        let (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        ready = continuation
        state.withLock { $0.alarm = DriftAlarm(consecutive: settings.consecutive) }
        let box = WeakWatch()
        tester = Task {
            for await _ in signals {
                guard let watch = box.watch else { return }
                while !Task.isCancelled, await watch.testFullWindow() {}
            }
        }
        box.watch = self
    }

    deinit {
        ready.finish()
        tester.cancel()
    }

    /// The figures `/metrics` exports.
    var figures: Figures { state.withLock { $0.figures } }

    /// Full windows the tester has yet to finish: the one it is testing, those waiting, and
    /// the window being filled when it is full. Resting after a test does not count.
    var backlog: Int {
        state.withLock { ($0.testing ? 1 : 0) + $0.waiting.count + ($0.window.isFull ? 1 : 0) }
    }

    /// Holds the tester, for a benchmark's rounds without the watch: a test under way
    /// finishes and no other starts until ``releaseTests()``. Rows still join windows, which
    /// wait for the tester as they would behind a long test.
    func holdTests() async {
        state.withLock { $0.held = true }
        while state.withLock({ $0.testing }) { try? await Task.sleep(for: .milliseconds(1)) }
    }

    /// Lets the tester test again what waits, after ``holdTests()``.
    func releaseTests() {
        state.withLock { $0.held = false }
        ready.yield()
    }

    /// Stops the tester: a test under way finishes and is recorded, a rest is cut short, and
    /// windows still waiting are left untested. Afterwards the watch no longer uses its store.
    func stop() async {
        ready.finish()
        tester.cancel()
        await tester.value
    }

    /// Watches `version` from now on: reads its domains' signatures (off the cooperative pool)
    /// and starts a new window. Rows offered before it is ready get no novelty score.
    func serve(version: Int, domains: [DomainState], dimension: Int) async {
        guard !domains.isEmpty else { return }
        let store = self.store
        let known = state.withLock { $0.profiles }
        do {
            let profiles = try await PhaseExecutor.offPool {
                try domains.map { domain in
                    if let profile = known[domain.signature], profile.name == domain.name { return profile }
                    return DomainProfile(name: domain.name, signature: try Self.signature(domain.signature, dimension: dimension, store: store))
                }
            }
            state.withLock { state in
                guard (state.served?.version ?? 0) < version else { return }
                state.profiles = Dictionary(zip(domains.map(\.signature), profiles), uniquingKeysWith: { a, _ in a })
                state.served = Served(version: version, scorer: NoveltyScorer(domains: profiles), signatures: domains.map(\.signature))
                let current = Set(domains.map(\.signature))
                signatureRows.withLock { kept in kept = kept.filter { current.contains($0.key) } }
                state.window = RowReservoir(capacity: settings.windowRows, width: dimension, seed: UInt64(version),
                                            keptSpares: Self.maxWaiting + 1)
                state.waiting.removeAll()
                state.run = ([], 0, [])
                state.candidateEvent = nil
                state.alarm = DriftAlarm(consecutive: settings.consecutive)
            }
        } catch {
            logger.error("watch: cannot read the domains' signatures", metadata: ["model": "\(model)", "version": "\(version)", "error": "\(error)"])
        }
    }

    /// What scores the novelty of rows of `width` features answered by `version`: nil while
    /// no version's domains are loaded, or those of another version.
    func scorer(version: Int, width: Int) -> NoveltyScorer? {
        state.withLock { state in
            guard let served = state.served, served.version == version, width == served.scorer.dimension else { return nil }
            return served.scorer
        }
    }

    /// Adds the rows of `x` (answered by `version`) to the window, unless no version's domains
    /// are loaded or `x` is of another version.
    func observe(_ x: Matrix, version: Int) {
        let filled = state.withLock { state -> Bool in
            guard let served = state.served, served.version == version, x.cols == served.scorer.dimension else { return false }
            // Full windows join the queue while it has room; once it has none, the window
            // being filled samples every further row.
            var filled = false
            var row = 0
            while row < x.rows {
                let room = state.window.capacity - state.window.count
                let take = room > 0 ? min(x.rows - row, room) : x.rows - row
                state.window.offer(x.storage, row..<(row + take))
                row += take
                filled = filled || room > 0 && state.window.isFull
                if state.window.isFull, state.waiting.count < Self.maxWaiting {
                    state.waiting.append((state.window.take(), served))
                }
            }
            return filled
        }
        // Only a window that has just filled is news: the tester tests every full window it
        // finds before it waits for the next signal.
        if filled { ready.yield() }
    }

    /// Tests the window if it is full, records it, raises an event when the run is long
    /// enough, then rests for as long as ``WatchSettings/cpuShare`` asks; returns whether there
    /// was a full window.
    private func testFullWindow() async -> Bool {
        guard let (rows, count, served, seed) = state.withLock({ state -> ([Float], Int, Served, UInt64)? in
            let taken: (rows: [Float], served: Served)
            if state.held {
                return nil
            } else if !state.waiting.isEmpty {
                taken = state.waiting.removeFirst()
            } else if state.window.isFull, let served = state.served {
                taken = (state.window.take(), served)
            } else {
                return nil
            }
            state.tests += 1
            state.testing = true
            return (taken.rows, settings.windowRows, taken.served, UInt64(state.tests))
        }) else { return false }
        // In a task of its own, which ``stop()`` does not cancel: a test under way is recorded.
        let busy = await Task { await self.test(rows: rows, count: count, served: served, seed: seed) }.value
        // The window's buffer, now referred to by nothing else, serves a later window.
        var buffer = consume rows
        buffer.removeAll(keepingCapacity: true)
        state.withLock { [buffer] state in
            state.testing = false
            if state.served?.version == served.version { state.window.recycle(buffer) }
        }
        let rest = settings.rest(afterTestHolding: busy)
        if rest > 0 { try? await Task.sleep(for: .seconds(rest)) }
        return true
    }

    /// Tests the window `rows` (`count` rows of `served`'s width), records it, and raises or
    /// extends a drift event; returns the seconds the test held the test thread, or its CPU
    /// seconds if more (0 when it could not run).
    private func test(rows: [Float], count: Int, served: Served, seed: UInt64) async -> Double {
        let window = Matrix(rows: count, cols: served.scorer.dimension, storage: rows)
        let test = WindowTest(alpha: settings.alpha, permutations: settings.permutations)
        let store = self.store
        var busy = 0.0
        do {
            // On the lowest-priority thread, its products on one OpenBLAS thread (the daemon's
            // setting between large products; restoring an earlier value could undo another
            // thread's change): a test then takes at most one core, and only what requests
            // leave of it. Its rest afterwards follows the time the test took on the thread:
            // its CPU time on an idle machine, longer when requests left it few turns.
            let (verdict, seconds) = try await BackgroundThread.watch.run {
                BLAS.setThreads(1)
                let (cpuBefore, wallBefore) = (BackgroundThread.cpuSeconds(), Stopwatch.now())
                let verdict = try test.run(window, scorer: served.scorer, samples: { index in
                    try self.rows(ofSignature: served.signatures[index], dimension: window.cols)
                }, seed: seed)
                return (verdict, max(BackgroundThread.cpuSeconds() - cpuBefore, Double(Stopwatch.now() - wallBefore) / 1e9))
            }
            busy = seconds
            let record = try await store.recordDriftWindow(DriftWindow(
                model: model, version: served.version, testedAt: Date(), rowCount: verdict.rows, statistic: verdict.statistic,
                pValue: verdict.pValue, fits: verdict.fits, nearestDomain: verdict.nearestDomain, medianNovelty: verdict.medianNovelty))
            let action = state.withLock { state -> CandidateAction? in
                state.figures.windows += 1
                state.figures.lastPValue = verdict.pValue
                state.figures.lastNovelty = verdict.medianNovelty
                guard state.served?.version == served.version else { return nil }
                if verdict.fits {
                    state.run = ([], 0, [])
                    state.candidateEvent = nil
                } else if state.run.count < settings.candidateRows {
                    // The run's rows, up to the cap: those before the event and those after it.
                    let take = min(count, settings.candidateRows - state.run.count)
                    state.run.rows.append(contentsOf: rows[0 ..< take * window.cols])
                    state.run.count += take
                    state.run.windows.append(record.id)
                    if let id = state.candidateEvent { return .extend(event: id, rows: state.run.rows, count: state.run.count) }
                }
                guard state.alarm.observe(verdict) != nil, let first = state.run.windows.first else { return nil }
                state.figures.events += 1
                return .raise(first: first, rows: state.run.rows, count: state.run.count)
            }
            // Counted once the gauges are the window's, so that a scrape that sees the window
            // also sees its p-value (setting them at scrape time left a scrape that began
            // before the test and rendered after it with the count and no p-value).
            metrics.setLatestWindow(model: model, pValue: verdict.pValue, novelty: verdict.medianNovelty)
            metrics.driftWindowTested(model: model)
            switch action {
            case nil:
                break
            case .extend(let id, let rows, let count):
                _ = try await store.extendDriftCandidate(model: model, event: id, candidate: FloatCoding.data(rows), rows: count)
            case .raise(let first, let rows, let count):
                let stored = try await store.recordDriftEvent(DriftEvent(
                    model: model, version: served.version, detectedAt: record.testedAt, windows: first...record.id,
                    statistic: verdict.statistic, pValue: verdict.pValue, nearestDomain: verdict.nearestDomain,
                    candidate: FloatCoding.data(rows), candidateRows: count, featureCount: window.cols))
                state.withLock { state in
                    // Later windows of the same run add their rows to this event's candidate.
                    if state.served?.version == served.version, !state.run.windows.isEmpty { state.candidateEvent = stored.id }
                }
                metrics.driftEventRaised(model: model)
                webhook?.post(DriftWebhook.Notice(
                    model: model,
                    event: APIDrift.Event(id: stored.id, version: served.version, detectedAt: stored.detectedAt, firstWindow: first,
                                          lastWindow: record.id, statistic: verdict.statistic, pValue: verdict.pValue,
                                          nearestDomain: verdict.nearestDomain, rows: count, features: window.cols),
                    rows: GroveClient.modelPath(model, "/drift/\(stored.id)/rows")))
                logger.warning("drift: prediction inputs fit no known domain", metadata: [
                    "model": "\(model)", "drift.id": "\(stored.id)", "drift.rows": "\(stored.candidateRows)",
                    "drift.p": "\(verdict.pValue)", "drift.nearest": "\(verdict.nearestDomain ?? "-")",
                ])
            }
        } catch {
            logger.error("watch: a window test failed", metadata: ["model": "\(model)", "error": "\(error)"])
        }
        return busy
    }

    /// A signature's rows, from memory when kept, else read from the store (and kept when they fit).
    private func rows(ofSignature sha: String, dimension: Int) throws -> Matrix {
        if let rows = signatureRows.withLock({ $0[sha] }) { return rows }
        let rows = try Self.signature(sha, dimension: dimension, store: store).samples
        signatureRows.withLock { kept in
            let used = kept.values.reduce(0) { $0 + $1.storage.count * MemoryLayout<Float>.size }
            if used + rows.storage.count * MemoryLayout<Float>.size <= Self.cachedSignatureBytes { kept[sha] = rows }
        }
        return rows
    }

    private static func signature(_ sha: String, dimension: Int, store: any Store) throws -> DomainSignature {
        guard let signature = DomainSignature(bytes: try store.blobBlocking(sha256: sha)), signature.dimension == dimension else {
            throw SnapshotError.malformedBlob(sha256: sha, what: "domain signature")
        }
        return signature
    }
}

/// What a tested window does to the drift events: raise one with the run's rows, or extend the
/// current run's event with them.
private enum CandidateAction {
    case raise(first: Int64, rows: [Float], count: Int)
    case extend(event: Int64, rows: [Float], count: Int)
}

/// The watch its own tester task refers to without keeping it alive.
private final class WeakWatch: Sendable {
    private struct Reference: Sendable {
        weak var watch: PredictionWatch?
    }

    private let reference = Mutex(Reference())

    var watch: PredictionWatch? {
        get { reference.withLock { $0.watch } }
        set { reference.withLock { $0.watch = newValue } }
    }
}
