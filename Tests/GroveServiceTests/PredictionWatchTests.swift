import Foundation
import GroveData
import GroveLearning
import GroveNumerics
@testable import GroveService
import GroveStore
import GroveTestSupport
import Logging
import Testing

/// The rows of a CSV text from ``csv(classes:region:rows:seed:)``, without labels.
private func features(_ text: String) -> Matrix {
    let rows = text.split(separator: "\n").dropFirst().map { line in line.split(separator: ",").dropFirst().compactMap { Float($0) } }
    return Matrix(rows: rows.count, cols: rows.first?.count ?? 0, storage: rows.flatMap { $0 })
}

/// A daemon in `home` whose model learned one domain, watched in windows of 32 rows with
/// tests taking `cpuShare` of a core, once the watch scores predictions; 32 rows of that
/// domain, whose one scored prediction filled the first window.
private func watchedDaemon(home: GroveHome, cpuShare: Double) async throws -> (GroveDaemon, ModelHost, Matrix) {
    var settings = WatchSettings()
    settings.windowRows = 32
    settings.cpuShare = cpuShare
    let daemon = try await GroveDaemon.open(home: home, config: tinyConfig(), logger: Logger(label: "test"), watch: settings)
    _ = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 300, seed: 1), name: "a.csv", to: daemon)
    try await runQueue(daemon)
    let host = try await defaultHost(daemon)
    let rows = features(csv(classes: [0, 1], region: 1, rows: 32, seed: 7))
    var attempts = 0
    while try host.predict(rows).first?.novelty == nil, attempts < 100 {
        attempts += 1
        try await Task.sleep(for: .milliseconds(20))
    }
    return (daemon, host, rows)
}

/// Waits until `model`'s store holds at least `count` drift windows; returns them oldest first.
private func windows(_ store: any Store, atLeast count: Int) async throws -> [DriftWindowRecord] {
    for _ in 0..<600 {
        let found = try await store.driftWindows(model: "default", before: nil, limit: 1_000)
        if found.count >= count { return found.reversed() }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await store.driftWindows(model: "default", before: nil, limit: 1_000).reversed()
}

/// The daemon's watch on prediction inputs: answers carry novelty scores, full windows are
/// tested in the background and recorded, and a run of windows unlike every known domain
/// raises one drift event whose candidate rows are exactly the rows predicted.
@Suite struct PredictionWatchTests {
    @Test func knownTrafficFitsAndUnknownTrafficRaisesOneEventKeepingItsRows() async throws {
        let temp = TemporaryHome()
        var settings = WatchSettings()
        settings.windowRows = 64
        settings.consecutive = 2
        settings.candidateRows = 160
        // No rests: under a parallel test run a test holds its idle-class thread long, and
        // the rests that follow it would make the seven windows slow to come.
        settings.cpuShare = 1
        let daemon = try await GroveDaemon.open(home: temp.home, config: tinyConfig(), logger: Logger(label: "test"), watch: settings)
        _ = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 300, seed: 1), name: "a.csv", to: daemon)
        _ = try await submitCSV(csv(classes: [2, 3], region: 2, rows: 300, seed: 2), name: "b.csv", to: daemon)
        try await runQueue(daemon)
        let host = try await defaultHost(daemon)
        #expect(await host.version == 2)

        // Known traffic: fresh rows of both domains, mixed; the watch loads the version's
        // domains in the background, so wait for the first scores.
        let known = features(csv(classes: [0, 1], region: 1, rows: 128, seed: 11) + csv(classes: [2, 3], region: 2, rows: 128, seed: 12)
            .split(separator: "\n", maxSplits: 1).last.map(String.init)!)
        var scored = try host.predict(known)
        for _ in 0..<100 where scored.first?.novelty == nil {
            try await Task.sleep(for: .milliseconds(20))
            scored = try host.predict(known)
        }
        let knownNovelty = scored.compactMap(\.novelty)
        #expect(knownNovelty.count == known.rows)
        let fitted = try await windows(daemon.store, atLeast: 4)
        #expect(fitted.count == 4 && fitted.allSatisfy(\.fits), "\(fitted.map(\.pValue)) \(fitted.map(\.nearestDomainID)) \(fitted.map(\.medianNovelty))")
        #expect(try await daemon.store.driftEvents(model: "default").isEmpty)

        // Unknown traffic: a third region, never learned.
        let unknown = features(csv(classes: [0, 1], region: 3, rows: 192, seed: 13))
        let answers = try host.predict(unknown)
        let unknownNovelty = answers.compactMap(\.novelty)
        #expect(unknownNovelty.count == unknown.rows)
        #expect(unknownNovelty.sorted()[unknown.rows / 2] > 3 * knownNovelty.sorted()[known.rows / 2], "rows far from both domains score higher")
        let all = try await windows(daemon.store, atLeast: 7)
        #expect(all.suffix(3).allSatisfy { !$0.fits }, "\(all.map(\.pValue))")
        // The third window of the run extends the event's candidate, up to the cap of 160 rows.
        var events = try await daemon.store.driftEvents(model: "default")
        for _ in 0..<200 where events.first?.candidateRows != 160 {
            try await Task.sleep(for: .milliseconds(20))
            events = try await daemon.store.driftEvents(model: "default")
        }
        #expect(events.count == 1, "three windows in a row miss, but one run is one event")
        let event = try #require(events.first)
        #expect(event.firstWindowID == all[4].id && event.lastWindowID == all[5].id && event.candidateRows == 160)
        let candidate = try #require(FloatCoding.floats(try await daemon.store.blob(sha256: event.candidateSHA256)))
        #expect(candidate.map(\.bitPattern) == Array(unknown.storage.prefix(160 * unknown.cols)).map(\.bitPattern),
                "the candidate holds the predicted rows as they came")
        let view = try await HomeViews(store: daemon.store, hosts: daemon.hosts).drift(model: "default", windows: 5)
        #expect(view.events.map(\.id) == [event.id] && view.events.first?.rows == 160 && view.events.first?.version == 2)
        #expect(view.windows.map(\.id) == all.suffix(5).reversed().map(\.id) && view.windows.first?.fits == false)
        // The report's drift section: the timeline of the seven windows, the event at the sixth.
        let drift = try #require(try await StoreReport.build(model: "default", from: daemon.store).drift)
        #expect(drift.timeline == "····×▲×" && drift.events.map(\.rows) == [160] && drift.events.first?.version == 2, "\(drift)")
        // Huge values, legal in JSON, overflow the distances: the answer still encodes.
        let huge = try host.predict(Matrix(rows: 1, cols: unknown.cols, storage: [Float](repeating: 1e30, count: unknown.cols)))
        #expect(huge.first?.novelty == Double(Float.greatestFiniteMagnitude))
        #expect(throws: Never.self) { try HomeViews.json(APIPredictResponse(predictions: huge)) }
        let figures = try #require(host.watchFigures)
        #expect(figures.windows == 7 && figures.events == 1 && (figures.lastPValue ?? 1) < settings.alpha)
    }

    @Test func stoppingTheWatchEndsItsTestsAndLeavesWaitingWindowsUntested() async throws {
        let temp = TemporaryHome()
        // A long rest after each test.
        let (daemon, host, rows) = try await watchedDaemon(home: temp.home, cpuShare: WatchSettings.smallestCPUShare)
        // Eight more full windows wait behind the one the first scored prediction filled.
        for _ in 0..<PredictionWatch.maxWaiting { _ = try host.predict(rows) }
        #expect(host.watchBacklog ?? 0 > 1, "full windows wait for the tester")
        _ = try await windows(daemon.store, atLeast: 1)

        await host.stopWatching()
        let stopped = try await daemon.store.driftWindows(model: "default", before: nil, limit: 100).count
        try await Task.sleep(for: .milliseconds(300))
        let later = try await daemon.store.driftWindows(model: "default", before: nil, limit: 100).count
        #expect(later == stopped, "nothing is tested once the watch has stopped")
        #expect(stopped >= 1 && stopped < PredictionWatch.maxWaiting + 1, "the windows still waiting stay untested: \(stopped)")
        #expect(host.watchBacklog ?? 0 > 0, "they still wait")
        #expect(host.watchFigures?.windows == stopped)
    }

    /// A benchmark's unwatched rounds hold the tester: windows fill and wait, none is tested
    /// until the tests are released, and then every waiting one is.
    @Test func heldTestsLeaveFullWindowsWaitingUntilReleased() async throws {
        let temp = TemporaryHome()
        // No rest between tests.
        let (daemon, host, rows) = try await watchedDaemon(home: temp.home, cpuShare: 1)
        _ = try await windows(daemon.store, atLeast: 1)
        await host.holdWatchTests()
        let held = try await daemon.store.driftWindows(model: "default", before: nil, limit: 100).count
        for _ in 0..<4 { _ = try host.predict(rows) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await daemon.store.driftWindows(model: "default", before: nil, limit: 100).count == held, "no test while held")
        #expect(host.watchBacklog == 4, "the four full windows wait")

        host.releaseWatchTests()
        let tested = try await windows(daemon.store, atLeast: held + 4).count
        #expect(tested == held + 4)
        await host.stopWatching()
    }

    /// The benchmark's unwatched twin of a served version answers with the same bits, without
    /// novelty, and adds nothing to the watch's window.
    @Test func theUnwatchedTwinAnswersAlikeAndFillsNoWindow() async throws {
        let temp = TemporaryHome()
        let (daemon, host, rows) = try await watchedDaemon(home: temp.home, cpuShare: 1)
        _ = try await windows(daemon.store, atLeast: 1)
        await host.holdWatchTests()
        let served = try #require(host.served)
        let twin = served.unwatched()
        let (watched, plain) = (try served.predict(rows), try twin.predict(rows))
        #expect(plain.probabilities == watched.probabilities && plain.chosenExperts == watched.chosenExperts)
        #expect(watched.novelty != nil && plain.novelty == nil)
        // The watched answer filled a window (32 rows); the twin's many rows fill none.
        #expect(host.watchBacklog == 1)
        host.releaseWatchTests()
        _ = try await windows(daemon.store, atLeast: 2)
        while host.watchBacklog ?? 0 > 0 { try await Task.sleep(for: .milliseconds(10)) }
        await host.holdWatchTests()
        for _ in 0..<4 { _ = try twin.predict(rows) }
        #expect(host.watchBacklog == 0, "no window filled")
        await host.stopWatching()
    }

    /// The rest after a test keeps the tests to their share of the time they hold the thread,
    /// capped, and a share of 1 never rests.
    @Test func theRestAfterATestFollowsTheShare() {
        var settings = WatchSettings()
        #expect(abs(settings.rest(afterTestHolding: 0.01) - 0.09) < 1e-12)
        #expect(abs(settings.rest(afterTestHolding: 0.3) - 2.7) < 1e-12, "a test that waited for its turns rests longer")
        #expect(settings.rest(afterTestHolding: 5) == WatchSettings.longestRest)
        settings.cpuShare = 1
        #expect(settings.rest(afterTestHolding: 5) == 0)
        settings.cpuShare = 0
        #expect(abs(settings.rest(afterTestHolding: 0.01) - 0.99) < 1e-12, "shares below the smallest count as the smallest")
    }

    @Test func aDaemonWithoutTheWatchAnswersWithoutNovelty() async throws {
        let temp = TemporaryHome()
        var settings = WatchSettings()
        settings.enabled = false
        let daemon = try await GroveDaemon.open(home: temp.home, config: tinyConfig(), logger: Logger(label: "test"), watch: settings)
        _ = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 300, seed: 1), name: "a.csv", to: daemon)
        try await runQueue(daemon)
        let host = try await defaultHost(daemon)
        let answers = try host.predict(features(csv(classes: [0, 1], region: 1, rows: 100, seed: 5)))
        #expect(answers.count == 100 && answers.allSatisfy { $0.novelty == nil })
        #expect(host.watchFigures == nil)
    }
}
