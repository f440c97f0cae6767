import Foundation
import GroveData
import GroveModel
import GroveNumerics
@testable import GroveService
import Logging
import Synchronization
import Testing

/// Predictions compute on the served version from many threads at once, each answer the same
/// bits as one computed alone, and a new version replaces the served one between answers,
/// never within one.
@Suite struct ServedModelTests {
    /// `count` rows of the 12-feature test domains, from region `region`.
    static func probe(rows count: Int, region: UInt64, seed: UInt64) throws -> Matrix {
        let rows = try CSVReader.read(bytes: Array(csv(classes: [0, 1, 2, 3, 4, 5], region: region, rows: count, seed: seed).utf8), name: "probe.csv")
        return Matrix(rows: rows.count, cols: 12, storage: rows.features)
    }

    @Test func concurrentPredictionsAnswerWhatOneAloneDoesAndVersionsSwapWhole() async throws {
        let temp = TemporaryHome()
        let daemon = try await daemonWithThreeVersions(home: temp.home)
        let host = try await defaultHost(daemon)
        let third = try #require(host.served)
        #expect(third.version == 3)
        // One row and three rows take the small-batch path, 40 rows the dense one.
        let batches = try [1, 3, 40].enumerated().map { index, rows in try Self.probe(rows: rows, region: UInt64(index + 1), seed: UInt64(10 + index)) }
        let alone = try batches.map { try third.predict($0) }
        let second = try #require(try await host.model(version: 2, from: daemon.store))
        let secondAlone = try batches.map { try ServedModel(name: "default", version: 4, model: second.model, labels: second.labels, watch: nil).predict($0) }
        #expect(alone.map(\.probabilities) != secondAlone.map(\.probabilities), "the versions must differ for the swap to show")

        let mismatches = Atomic<Int>(0)
        let answered = Mutex<[Int: Int]>([:])
        let stop = Atomic<Bool>(false)
        let threads = 3
        // Threads of their own, not GCD's pool, which the store's queues need meanwhile.
        let finished = Atomic<Int>(0)
        for thread in 0..<threads {
            Thread {
                var round = 0
                while !stop.load(ordering: .relaxed) {
                    let index = (round + thread) % batches.count
                    round += 1
                    guard let served = host.served, let batch = try? served.predict(batches[index]) else {
                        mismatches.add(1, ordering: .relaxed)
                        continue
                    }
                    let expected = batch.version == 3 ? alone[index] : secondAlone[index]
                    if batch.probabilities.map(\.bitPattern) != expected.probabilities.map(\.bitPattern)
                        || batch.chosenExperts != expected.chosenExperts {
                        mismatches.add(1, ordering: .relaxed)
                    }
                    answered.withLock { $0[batch.version, default: 0] += 1 }
                }
                finished.add(1, ordering: .releasing)
            }.start()
        }
        // Meanwhile version 2 comes back as version 4; the threads go on until they have
        // answered with both versions (or a minute has passed, and the expectations fail).
        let deadline = ContinuousClock.now + .seconds(60)
        while answered.withLock({ $0[3, default: 0] }) < 50, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let rolled = try await host.rollback(to: 2, in: daemon.store)
        while answered.withLock({ $0[4, default: 0] }) < 50, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        stop.store(true, ordering: .relaxed)
        while finished.load(ordering: .acquiring) < threads { try await Task.sleep(for: .milliseconds(1)) }
        #expect(rolled.number == 4 && host.served?.version == 4)
        #expect(mismatches.load(ordering: .relaxed) == 0)
        let counts = answered.withLock { $0 }
        #expect(counts[3, default: 0] > 0 && counts[4, default: 0] > 0 && Set(counts.keys) == [3, 4], "\(counts)")
    }

    @Test func aWrongWidthIsRefusedNamingTheModel() async throws {
        let temp = TemporaryHome()
        let daemon = try await GroveDaemon.open(home: temp.home, config: tinyConfig(), logger: Logger(label: "test"))
        _ = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 120, seed: 1), name: "d.csv", to: daemon)
        try await runQueue(daemon)
        let served = try #require(try await defaultHost(daemon).served)
        #expect(throws: ServiceError.badInput("samples have 3 features, model 'default' expects 12")) {
            try served.predict(Matrix(rows: 1, cols: 3, storage: [1, 2, 3]))
        }
    }
}
