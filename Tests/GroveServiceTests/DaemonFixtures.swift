import Foundation
import GroveData
import GroveLearning
import GroveNumerics
@testable import GroveService
import GroveStore
import GroveTestSupport
import Logging

// The in-process daemon fixtures that the core and watch tests share.

/// A temporary home removed when the test ends.
final class TemporaryHome {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("grove-core-\(UUID().uuidString)").path
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var home: GroveHome { GroveHome(path: path) }
}

/// CSV text of Gaussian blobs in a region of a 12-dimensional space.
func csv(classes: [Int], region: UInt64, rows: Int, seed: UInt64) -> String {
    var centres = SeededRNG(seed: 500 + region)
    let offset = (0..<12).map { _ in centres.nextGaussian() * 3 }
    let means = classes.map { _ in (0..<12).map { _ in centres.nextGaussian() * 2.5 } }
    var rng = SeededRNG(seed: seed)
    var lines = ["label," + (0..<12).map { "x\($0)" }.joined(separator: ",")]
    for _ in 0..<rows {
        let c = Int(rng.next() % UInt64(classes.count))
        lines.append("\(classes[c])," + (0..<12).map { String(offset[$0] + means[c][$0] + rng.nextGaussian()) }.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
}

func tinyConfig() -> LifelongConfig {
    .forTests(hidden: 8, expertEpochs: 2, gateSteps: 8, replayPerDomain: 50, detectorSamples: 32, permutations: 50)
}

func submitCSV(_ text: String, name: String, to daemon: GroveDaemon) async throws -> EnqueueResult {
    let path = try daemon.submissions.store(Data(text.utf8), name: name)
    return try await daemon.submissions.submit(DatasetSpec(domain: nil, source: .init(format: .csv, path: path)), model: "default")
}

func runQueue(_ daemon: GroveDaemon) async throws {
    let runner = JobRunner(store: daemon.store, hosts: daemon.hosts, home: daemon.home, access: daemon.submissions.access, logger: Logger(label: "test"))
    while let job = try await daemon.store.claimNextJob() { await runner.execute(job) }
}

/// A daemon in `home` whose model `default` learned two domains (classes 0, 1 and 2, 3): versions 1 and 2.
func daemonWithTwoVersions(home: GroveHome) async throws -> GroveDaemon {
    let daemon = try await GroveDaemon.open(home: home, config: tinyConfig(), logger: Logger(label: "test"))
    _ = try await submitCSV(csv(classes: [0, 1], region: 1, rows: 240, seed: 1), name: "a.csv", to: daemon)
    _ = try await submitCSV(csv(classes: [2, 3], region: 2, rows: 240, seed: 2), name: "b.csv", to: daemon)
    try await runQueue(daemon)
    return daemon
}

/// A daemon in `home` whose model `default` learned three domains (classes 0, 1; 2, 3; 4, 5):
/// versions 1 to 3.
func daemonWithThreeVersions(home: GroveHome) async throws -> GroveDaemon {
    let daemon = try await GroveDaemon.open(home: home, config: tinyConfig(), logger: Logger(label: "test"))
    for (n, classes) in [[0, 1], [2, 3], [4, 5]].enumerated() {
        _ = try await submitCSV(csv(classes: classes, region: UInt64(n + 1), rows: 240, seed: UInt64(n + 1)), name: "d\(n).csv", to: daemon)
    }
    try await runQueue(daemon)
    return daemon
}

func defaultHost(_ daemon: GroveDaemon) async throws -> ModelHost {
    try await daemon.hosts.host(named: "default")
}
