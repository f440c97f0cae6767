import Foundation
import GroveService
import GroveStore
import Testing

extension GroveCLITests {
    @Suite struct Lifecycle {
        @Test func threeDomainsGrowThreeExpertsAndTheHistorySurvivesARestart() async throws {
            let root = try Fixtures.directory("three")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            var daemon = try await DaemonProcess(home: home)
            defer { daemon.kill() }
            for k in 0..<3 {
                let file = try Fixtures.write(Fixtures.blobsCSV(domain: k), to: root, name: "blobs-\(k).csv")
                let run = try await runGrove(["submit", file.path, "--domain", "blobs-\(k)", "--wait"] + daemon.cliOptions)
                #expect(run.status == 0, "\(run)")
                #expect(run.stderr == "", "\(run)")
                #expect(run.lines.first == "job \(k + 1) queued: blobs-\(k).csv (domain blobs-\(k))", "\(run)")
                #expect(run.lines.last == "job \(k + 1): succeeded", "\(run)")
            }

            let experts = try await runGrove(["experts", "--json"] + daemon.cliOptions)
            #expect(experts.status == 0, "\(experts)")
            let list = try experts.json([APIExpert].self)
            #expect(list.count == 3)
            #expect(Set(list.compactMap(\.domain)) == ["blobs-0", "blobs-1", "blobs-2"])
            #expect(list.allSatisfy { $0.frozen })
            let tree = try await runGrove(["experts", "--tree"] + daemon.cliOptions)
            #expect(tree.status == 0 && tree.lines.count == 3, "\(tree)")
            #expect(tree.lines.allSatisfy { $0.contains("expert ") && $0.hasSuffix("frozen") }, "\(tree)")

            let status = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self)
            #expect(status.version == 3 && status.experts == 3 && status.domains == 3)
            #expect(status.jobs["succeeded"] == 3 && status.running == nil)
            let domains = try await runGrove(["domains", "--json"] + daemon.cliOptions).json([APIDomain].self)
            #expect(domains.map(\.name) == ["blobs-0", "blobs-1", "blobs-2"])
            #expect(domains.allSatisfy { ($0.accuracy ?? 0) > 0.9 }, "\(domains)")

            let predict = try await runGrove(["predict", root.appendingPathComponent("blobs-1.csv").path, "--json"] + daemon.cliOptions)
            #expect(predict.status == 0, "\(predict)")
            let predictions = try predict.json([Prediction].self)
            #expect(predictions.count == 300)
            let right = predictions.enumerated().filter { $0.element.label == String(2 + $0.offset % 2) }.count
            #expect(right >= 270, "\(right) of 300 blobs-1 samples right")
            let text = try await runGrove(["predict", root.appendingPathComponent("blobs-1.csv").path] + daemon.cliOptions)
            #expect(text.lines.count == 300 && text.lines[0].hasPrefix("0  "), "\(text)")
            // The same rows with their columns reversed, and without the label column: taken by
            // name, the same answers.
            let lines = Fixtures.blobsCSV(domain: 1).split(separator: "\n").map { $0.split(separator: ",") }
            for (name, rows) in [("blobs-1-reversed.csv", lines.map { $0.reversed() }), ("blobs-1-unlabelled.csv", lines.map { $0.dropLast() })] {
                let file = try Fixtures.write(rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n", to: root, name: name)
                let run = try await runGrove(["predict", file.path, "--json"] + daemon.cliOptions)
                #expect(run.status == 0, "\(run)")
                #expect(try run.json([Prediction].self) == predictions, "\(name)")
            }

            // The watch tests the predictions' full windows in the background; one tested after
            // this snapshot would be in the report after the restart.
            try await waitUntilTheWatchIsIdle(daemon)
            let before = try await snapshot(daemon)
            let stop = try await daemon.terminate()
            #expect(stop.status == 0, "\(daemon.logText)")
            daemon = try await DaemonProcess(home: home)
            let after = try await snapshot(daemon)
            #expect(after == before)

            let again = try await runGrove(["submit", root.appendingPathComponent("blobs-0.csv").path, "--domain", "blobs-0", "--wait"] + daemon.cliOptions)
            #expect(again.status == 0, "\(again)")
            #expect(again.lines == ["job 1 already submitted: blobs-0.csv (domain blobs-0) (succeeded)", "job 1: succeeded"], "\(again)")
        }

        @Test func sigtermDuringAPhaseExitsWithinTenSecondsAndTheJobCompletesAfterRestart() async throws {
            let root = try Fixtures.directory("sigterm")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            var daemon = try await DaemonProcess(home: home)
            defer { daemon.kill() }
            let big = try Fixtures.write(Fixtures.blobsCSV(domain: 0, rows: bigRows), to: root, name: "big.csv")
            let submit = try await runGrove(["submit", big.path, "--domain", "big"] + daemon.cliOptions)
            #expect(submit.lines == ["job 1 queued: big.csv (domain big)"], "\(submit)")
            try await waitUntilRunning(job: 1, on: daemon)

            let stop = try await daemon.terminate()
            #expect(stop.elapsed < .seconds(10), "SIGTERM took \(stop.elapsed)")
            #expect(stop.status == 0, "\(daemon.logText)")

            daemon = try await DaemonProcess(home: home)
            let finals = try await daemon.client().wait(for: [1])
            #expect(finals.first?.state == .succeeded, "\(finals)")
            #expect(finals.first?.attempts == 2, "the first attempt should have been stopped mid-phase: \(finals)")
            let status = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self)
            #expect(status.version == 1 && status.experts == 1)
        }

        @Test func sigkillDuringAPhaseLosesNoSubmissionAndLeavesNoPartialVersion() async throws {
            let root = try Fixtures.directory("sigkill")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            var daemon = try await DaemonProcess(home: home)
            defer { daemon.kill() }
            // Three times the usual rows: the phase must outlast three `grove submit` processes,
            // which take seconds when the whole suite runs at once.
            let big = try Fixtures.write(Fixtures.blobsCSV(domain: 0, rows: 3 * bigRows), to: root, name: "big.csv")
            #expect(try await runGrove(["submit", big.path, "--domain", "big"] + daemon.cliOptions).status == 0)
            try await waitUntilRunning(job: 1, on: daemon)
            for k in 1...3 {
                let file = try Fixtures.write(Fixtures.blobsCSV(domain: k), to: root, name: "small-\(k).csv")
                let run = try await runGrove(["submit", file.path, "--domain", "small-\(k)"] + daemon.cliOptions)
                #expect(run.lines == ["job \(k + 1) queued: small-\(k).csv (domain small-\(k))"], "\(run)")
            }
            daemon.kill()

            daemon = try await DaemonProcess(home: home)
            let status = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self)
            #expect(status.version == nil, "a model version appeared although no phase had committed: \(status)")
            #expect(status.jobs.values.reduce(0, +) == 4 && (status.jobs["failed"] ?? 0) == 0, "\(status)")
            let finals = try await daemon.client().wait(for: [1, 2, 3, 4])
            #expect(finals.map(\.state) == [.succeeded, .succeeded, .succeeded, .succeeded], "\(finals)")
            #expect(finals.first?.attempts == 2, "\(finals)")
            let end = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self)
            #expect(end.version == 4 && end.domains == 4, "\(end)")
        }
    }
}

/// Rows of the CSV whose phase lasts long enough (a few seconds in a debug build) to be interrupted.
let bigRows = 20000

/// Polls until job `id` is running, then lets the phase get under way.
func waitUntilRunning(job id: Int64, on daemon: DaemonProcess) async throws {
    let client = try daemon.client()
    let deadline = ContinuousClock.now + .seconds(30)
    while try await client.job(id: id).state != .running {
        guard ContinuousClock.now < deadline else { throw TestFailure("job \(id) never started") }
        try await Task.sleep(for: .milliseconds(20))
    }
    try await Task.sleep(for: .milliseconds(300))
}

/// Waits until the watch on model `default` has no full window left to test (its
/// `grove_drift_windows_waiting` gauge reads 0).
func waitUntilTheWatchIsIdle(_ daemon: DaemonProcess) async throws {
    let client = try daemon.client()
    let deadline = ContinuousClock.now + .seconds(120)
    while true {
        let text = String(decoding: try await client.raw("/metrics"), as: UTF8.self)
        if text.contains(#"grove_drift_windows_waiting{model="default"} 0"#) { return }
        guard ContinuousClock.now < deadline else { throw TestFailure("the watch still had windows to test after 120 s") }
        try await Task.sleep(for: .milliseconds(100))
    }
}

/// What must survive a restart: jobs, experts, domains and the report's history.
func snapshot(_ daemon: DaemonProcess) async throws -> [String] {
    var parts: [String] = []
    for command in [["jobs", "--json"], ["experts", "--json"], ["domains", "--json"]] {
        let run = try await runGrove(command + daemon.cliOptions)
        guard run.status == 0 else { throw TestFailure("\(command): \(run)") }
        parts.append(run.stdout)
    }
    let report = try await runGrove(["report", "--format", "json"] + daemon.cliOptions)
    guard report.status == 0, var object = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any] else {
        throw TestFailure("report: \(report)")
    }
    object["generated_at"] = nil
    parts.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    return parts
}
