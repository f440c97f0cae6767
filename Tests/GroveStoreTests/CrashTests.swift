import Foundation
import GroveStore
import GroveStorePostgres
import GroveTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills a child process that commits phases in a loop (`GroveStoreCrashChild`) with SIGKILL
/// while it commits, and checks the store after every kill, on both backends.
///
/// The child writes a job's id just before committing its phase; the parent kills it a random
/// 0–4 ms later, at the first, second or third commit of the child's life. A kill counts as
/// mid-commit when the job is still `running` afterwards: its transaction had begun (or was
/// about to) and did not land.
@Suite struct CrashTests {
    static let kills = 24
    static let requiredMidCommit = 20
    static let seed: UInt64 = 0x6772_6f76_65

    @Test(arguments: Backend.allCases) func killedWritersLeaveOnlyCompletePhases(backend: Backend) async throws {
        let child = try #require(CrashChild.locate(), "GroveStoreCrashChild not found next to the test bundle; build it first")
        let home = try makeTemporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let location = backend == .sqlite ? home.path : try PostgresTestCluster.shared().makeDatabase()
        var random = TestRandom(seed: Self.seed)
        var midCommit = 0
        var versionsSeen = 0
        var acknowledged = 0

        for round in 0..<Self.kills {
            let commitToKill = 1 + Int(random.next() % 3)
            let delayMicroseconds = UInt32(random.next() % 2_000)
            let process = Process()
            let output = Pipe()
            process.executableURL = child
            process.arguments = [location, String(Self.seed &+ UInt64(round))]
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let announced = await CrashChild.kill(process, reading: output, atCommit: commitToKill, after: delayMicroseconds)
            let jobID = announced.count >= commitToKill ? announced[commitToKill - 1] : nil
            // Every commit before the announced one returned to the child.
            acknowledged += jobID == nil ? 0 : commitToKill - 1
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "child \(round) ended by itself (seed \(Self.seed))")

            try await withOpenedStore(backend, location: location, home: home) { subject in
                let context = "after kill \(round) of \(backend), \(delayMicroseconds) µs into commit \(commitToKill) (seed \(Self.seed))"
                #expect(try await subject.store.integrityCheck() == ["ok"], "\(context)")
                let report = try await CrashVerifier.verify(subject)
                #expect(report.problems.isEmpty, "\(context): \(report.problems)")
                #expect(report.versions >= versionsSeen, "committed versions never disappear")
                versionsSeen = report.versions
                switch try await jobID.asyncMap({ try await subject.store.job(id: $0)?.state }) {
                case .running?: midCommit += 1
                case .succeeded?: acknowledged += 1  // the killed commit had landed
                default: Issue.record("\(context): the announced job \(String(describing: jobID)) is neither running nor succeeded")
                }
                // A quick commit may end before the kill lands, and the child announce and make
                // the next: each of those that landed was acknowledged to the child too.
                for late in announced.dropFirst(commitToKill) where try await subject.store.job(id: late)?.state == .succeeded {
                    acknowledged += 1
                }
            }
        }
        print("crash test (\(backend)): \(Self.kills) kills, \(midCommit) inside a commit, \(versionsSeen) committed versions")
        #expect(versionsSeen == acknowledged, "every acknowledged commit and nothing else is stored (\(versionsSeen) versions)")
        #expect(midCommit >= Self.requiredMidCommit, "\(midCommit) of \(Self.kills) kills landed inside a commit")
    }

    /// Opens the store the child wrote, as a new process would, and closes it after `body`.
    private func withOpenedStore(_ backend: Backend, location: String, home: URL, _ body: (StoreUnderTest) async throws -> Void) async throws {
        switch backend {
        case .sqlite:
            let store = try SQLiteStore.open(home: home)
            defer { try? store.close() }
            try await body(StoreUnderTest(store: store, backend: backend, home: home))
        case .postgres:
            let store = try await PostgresStore.open(url: location)
            do {
                try await body(StoreUnderTest(store: store, backend: backend, home: home))
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
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

    /// Integer fields of a line of space-separated numbers and words.
    private static func fields(_ line: String?) -> [String] {
        (line ?? "").split(separator: " ").map(String.init)
    }

    static func verify(_ subject: StoreUnderTest) async throws -> Report {
        let store = subject.store
        let versions = try await store.modelVersions(model: "default")
        var report = Report(versions: versions.count)
        report.runningJobs = try await store.jobs(states: [.running]).count
        if versions.map(\.number) != Array(1..<(versions.count + 1)) {
            report.problems.append("version numbers are not 1...\(versions.count)")
        }
        let rows = try await subject.texts("""
            SELECT CAST(v.number AS TEXT) || ' ' || j.state
                || ' ' || CAST((SELECT count(*) FROM experts e WHERE e.created_version_id = v.id) AS TEXT)
                || ' ' || CAST(((SELECT count(*) FROM experts e JOIN model_versions c ON c.id = e.created_version_id
                        WHERE c.model_id = v.model_id AND c.number <= v.number) = v.expert_count) AS TEXT)
                || ' ' || CAST(((SELECT count(*) FROM evaluations e WHERE e.model_version_id = v.id) = v.evaluation_count) AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM events e WHERE e.model_version_id = v.id) AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM detections d WHERE d.model_version_id = v.id) AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM datasets s WHERE s.job_id = v.job_id) AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM replay_reservoirs r WHERE r.model_version_id = v.id) AS TEXT)
            FROM model_versions v JOIN jobs j ON j.id = v.job_id ORDER BY v.number
            """)
        // Booleans print as 1/0 in SQLite and true/false in PostgreSQL.
        let yes: Set<String> = ["1", "true"]
        for row in rows {
            let f = fields(row)
            guard f.count == 9 else {
                report.problems.append("unreadable version row \(row ?? "NULL")")
                continue
            }
            func check(_ ok: Bool, _ what: String) {
                if !ok { report.problems.append("version \(f[0]): \(what)") }
            }
            check(f[1] == "succeeded", "its job is \(f[1])")
            check(f[2] == "\(expertsPerPhase)", "\(f[2]) experts")
            check(yes.contains(f[3]), "expert_count disagrees")
            check(yes.contains(f[4]), "evaluation_count disagrees")
            check(f[5] == "\(eventsPerPhase)", "\(f[5]) events")
            check(f[6] == "1" && f[7] == "1" && f[8] == "1", "missing detection, dataset or replay")
        }
        // Nothing outside a committed version: every phase row belongs to one.
        let n = rows.count
        let totals = fields(try await subject.texts("""
            SELECT CAST((SELECT count(*) FROM jobs WHERE state = 'succeeded') AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM experts) AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM datasets) AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM gate_versions) AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM held_out_splits) AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM detections) AS TEXT)
                || ' ' || CAST((SELECT count(*) FROM jobs WHERE state NOT IN ('queued', 'running', 'succeeded')) AS TEXT)
            """).first ?? nil)
        if totals != ["\(n)", "\(n * expertsPerPhase)", "\(n)", "\(n)", "\(n)", "\(n)", "0"] {
            report.problems.append("succeeded jobs, experts, datasets, gates, splits, detections, ended jobs = \(totals) for \(n) versions")
        }
        // The newest expert's weights still hash to their name.
        if let newest = try await store.experts(model: "default", version: nil).last {
            let weights = try await store.blob(sha256: newest.weightsSHA256)
            if weights.isEmpty { report.problems.append("empty weights") }
        }
        return report
    }
}

/// Finds the built `GroveStoreCrashChild` executable and kills it while it commits.
enum CrashChild {
    static let name = "GroveStoreCrashChild"

    /// Reads the child's output on a thread of its own until the child announces commit
    /// number `commit`, waits `delay` µs and sends SIGKILL; returns the id of every job the
    /// child announced, in order, also those it announced after commit `commit` before the
    /// kill landed (fewer than `commit` when the child stopped talking first).
    static func kill(_ process: Process, reading pipe: Pipe, atCommit commit: Int, after delay: UInt32) async -> [Int64] {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var text = ""
                var announced: [Int64] = []
                while announced.count < commit {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                    // Whole lines only: a chunk may end inside a number.
                    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                    announced = lines.compactMap { Int64($0) }
                }
                if announced.count >= commit { usleep(delay) }
                sendKill(to: process.processIdentifier)
                // The rest, up to the end the kill makes: later announcements, whole lines only
                // (the kill may cut the last one short).
                text += String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                continuation.resume(returning: text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { Int64($0) })
            }
        }
    }

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

/// SIGKILL, named apart from ``CrashChild/kill(_:reading:atCommit:after:)``.
private func sendKill(to pid: pid_t) {
    kill(pid, SIGKILL)
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
