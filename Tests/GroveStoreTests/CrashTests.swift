import Foundation
import GRDB
import GroveStore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills a child process that commits phases in a loop (`GroveStoreCrashChild`) with SIGKILL
/// at random moments, and checks the database after every kill.
@Suite struct CrashTests {
    static let kills = 24
    static let seed: UInt64 = 0x6772_6f76_65

    @Test func killedWritersLeaveOnlyCompletePhases() async throws {
        let child = try #require(CrashChild.locate(), "GroveStoreCrashChild not found next to the test bundle; build it first")
        let home = try makeTemporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        var random = TestRandom(seed: Self.seed)
        var interruptedMidPhase = 0
        var versionsSeen = 0

        for round in 0..<Self.kills {
            let delay = 40 + Int(random.next() % 260)
            let process = Process()
            process.executableURL = child
            process.arguments = [home.path, String(Self.seed &+ UInt64(round))]
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(for: .milliseconds(delay))
            #expect(process.isRunning, "child \(round) died before it was killed (seed \(Self.seed))")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)

            let store = try SQLiteStore.open(home: home)
            #expect(try await store.integrityCheck() == ["ok"], "after kill \(round) at \(delay) ms (seed \(Self.seed))")
            let report = try await CrashVerifier.verify(store)
            #expect(report.problems.isEmpty, "after kill \(round) at \(delay) ms (seed \(Self.seed)): \(report.problems)")
            #expect(report.versions >= versionsSeen, "committed versions never disappear")
            versionsSeen = report.versions
            if report.runningJobs > 0 { interruptedMidPhase += 1 }
            try store.close()
        }
        print("crash test: \(Self.kills) kills, \(versionsSeen) committed versions, \(interruptedMidPhase) kills inside a phase")
        #expect(versionsSeen >= Self.kills, "children committed phases (\(versionsSeen) versions)")
        #expect(interruptedMidPhase >= 1, "at least one kill landed inside a phase")
    }
}

/// Checks that every committed phase of the crash child is complete and nothing else is visible.
enum CrashVerifier {
    struct Report {
        var versions = 0
        var runningJobs = 0
        var problems: [String] = []
    }

    static let expertsPerPhase = 2
    static let eventsPerPhase = 3

    static func verify(_ store: SQLiteStore) async throws -> Report {
        let versions = try await store.modelVersions(model: "default")
        var report = Report(versions: versions.count)
        report.runningJobs = try await store.jobs(states: [.running]).count
        if versions.map(\.number) != Array(1..<(versions.count + 1)) {
            report.problems.append("version numbers are not 1...\(versions.count)")
        }
        report.problems += try await store.database.read { db in
            var problems: [String] = []
            let rows = try Row.fetchAll(db, sql: """
                SELECT v.number, v.expert_count, v.evaluation_count, j.state,
                    (SELECT count(*) FROM experts e WHERE e.created_version_id = v.id) AS experts,
                    (SELECT count(*) FROM experts e JOIN model_versions c ON c.id = e.created_version_id
                        WHERE c.model_id = v.model_id AND c.number <= v.number) AS cumulative,
                    (SELECT count(*) FROM evaluations e WHERE e.model_version_id = v.id) AS evaluations,
                    (SELECT count(*) FROM events e WHERE e.model_version_id = v.id) AS events,
                    (SELECT count(*) FROM detections d WHERE d.model_version_id = v.id) AS detections,
                    (SELECT count(*) FROM datasets s WHERE s.job_id = v.job_id) AS datasets,
                    (SELECT count(*) FROM replay_reservoirs r WHERE r.model_version_id = v.id) AS replay
                FROM model_versions v JOIN jobs j ON j.id = v.job_id ORDER BY v.number
                """)
            for row in rows {
                let number: Int = row["number"]
                func check(_ ok: Bool, _ what: String) {
                    if !ok { problems.append("version \(number): \(what)") }
                }
                check(row["state"] == "succeeded", "its job is \(row["state"] as String)")
                check(row["experts"] == expertsPerPhase, "\(row["experts"] as Int) experts")
                check(row["cumulative"] == row["expert_count"] as Int, "expert_count disagrees")
                check(row["evaluations"] == row["evaluation_count"] as Int, "evaluation_count disagrees")
                check(row["events"] == eventsPerPhase, "\(row["events"] as Int) events")
                check(row["detections"] == 1 && row["datasets"] == 1 && row["replay"] == 1, "missing detection, dataset or replay")
            }
            // Nothing outside a committed version: every phase row belongs to one.
            let n = rows.count
            let totals = try Row.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM jobs WHERE state = 'succeeded') AS succeeded,
                       (SELECT count(*) FROM experts) AS experts,
                       (SELECT count(*) FROM datasets) AS datasets,
                       (SELECT count(*) FROM gate_versions) AS gates,
                       (SELECT count(*) FROM held_out_splits) AS splits,
                       (SELECT count(*) FROM detections) AS detections,
                       (SELECT count(*) FROM jobs WHERE state NOT IN ('queued', 'running', 'succeeded')) AS ended
                """)
            guard let totals else { return problems + ["no totals"] }
            if totals["succeeded"] != n { problems.append("\(totals["succeeded"] as Int) succeeded jobs for \(n) versions") }
            if totals["experts"] != n * expertsPerPhase { problems.append("\(totals["experts"] as Int) experts for \(n) versions") }
            if totals["datasets"] != n || totals["gates"] != n || totals["splits"] != n || totals["detections"] != n {
                problems.append("datasets, gates, splits or detections do not match \(n) versions")
            }
            if totals["ended"] != 0 { problems.append("a job failed or was cancelled") }
            return problems
        }
        // The newest expert's weights still hash to their name.
        if let newest = try await store.experts(model: "default", version: nil).last {
            let weights = try await store.blob(sha256: newest.weightsSHA256)
            if weights.isEmpty { report.problems.append("empty weights") }
        }
        return report
    }
}

/// Finds the built `GroveStoreCrashChild` executable.
enum CrashChild {
    static let name = "GroveStoreCrashChild"

    static func locate(filePath: String = #filePath) -> URL? {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["GROVE_STORE_CRASH_CHILD"] {
            candidates.append(URL(filePath: override))
        }
        // Next to the running test executable (Linux: the .xctest file; macOS: inside the bundle).
        for executable in [Bundle.main.executableURL, URL(filePath: CommandLine.arguments.first ?? "")].compactMap({ $0 }) {
            var directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent(name))
                directory.deleteLastPathComponent()
            }
        }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent(name))
        }
        // Walk up from this file to the package and look in its build directories.
        var root = URL(filePath: filePath).deletingLastPathComponent()
        while root.path != "/" && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let builds = (try? FileManager.default.contentsOfDirectory(atPath: root.path))?.filter { $0.hasPrefix(".build") } ?? []
        for build in builds.sorted() {
            let base = root.appendingPathComponent(build)
            candidates.append(base.appendingPathComponent("debug").appendingPathComponent(name))
            candidates.append(base.appendingPathComponent("release").appendingPathComponent(name))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// SplitMix64, for the kill delays.
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
