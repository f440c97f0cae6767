import Foundation
import GroveService
import GroveStore
import Testing

extension GroveCLITests {
    /// One daemon per home, `grove retry` and `grove gc`, through the real binary.
    @Suite struct Intake {
        @Test func aSecondDaemonOnTheSameHomeExitsNamingTheFirstAndLeavesItsJobAlone() async throws {
            let root = try Fixtures.directory("lock")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            var first = try await DaemonProcess(home: home)
            defer { first.kill() }
            let big = try Fixtures.write(Fixtures.blobsCSV(domain: 0, rows: bigRows), to: root, name: "big.csv")
            #expect(try await runGrove(["submit", big.path] + first.cliOptions).status == 0)
            try await waitUntilRunning(job: 1, on: first)

            let refusal = "error: home \(home.path) is in use by another grove process (pid \(first.pid)); stop it first or choose another --home\n"
            let second = try await runGrove(["daemon", "--home", home.path, "--listen", "127.0.0.1:\(try freePort())"], timeout: .seconds(30))
            #expect(second.status == 1, "\(second)")
            #expect(second.stderr == refusal, "\(second)")
            let demo = try await runGrove(["demo", "--home", home.path, "--quick"], timeout: .seconds(30))
            #expect(demo.status == 1 && demo.stderr == refusal, "\(demo)")

            // The first daemon's running job was not re-queued, and it still serves.
            let job = try await first.client().job(id: 1)
            #expect(job.attempts == 1 && [.running, .succeeded].contains(job.state), "\(job)")
            #expect(DaemonFile.read(from: GroveHome(path: home.path))?.pid == first.pid)
            #expect(try await first.client().health())

            // SIGKILL releases the lock: the next daemon starts and runs the job again.
            first.kill()
            first = try await DaemonProcess(home: home)
            let finals = try await first.client().wait(for: [1])
            #expect(finals.first?.state == .succeeded, "\(finals)")
        }

        @Test func retryQueuesAFailedJobAgainAndWaitsForIt() async throws {
            let root = try Fixtures.directory("retry")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            let good = Fixtures.blobsCSV(domain: 0)
            let client = try daemon.client()
            let stored = try await client.upload(fileAt: try Fixtures.write(good, to: root, name: "day1.csv"))
            // The stored copy is spoiled before the job runs, and repaired after it failed.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: stored.path)
            var lines = good.split(separator: "\n").map(String.init)
            lines[5] = "oops," + lines[5]
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: stored.path))
            let submitted = try await client.submit(DatasetSpec(domain: "day1", source: .init(format: .csv, path: stored.path)))
            let failed = try await client.wait(for: [submitted.job.id])
            #expect(failed.first?.state == .failed, "\(failed)")
            try Data(good.utf8).write(to: URL(fileURLWithPath: stored.path))

            let retry = try await runGrove(["retry", "\(submitted.job.id)", "--wait"] + daemon.cliOptions)
            #expect(retry.status == 0, "\(retry)")
            #expect(retry.lines.first == "job 1 queued again" && retry.lines.last == "job 1: succeeded", "\(retry)")
            let job = try await client.job(id: 1)
            #expect(job.state == .succeeded && job.attempts == 1 && job.error == nil)

            let again = try await runGrove(["retry", "1"] + daemon.cliOptions)
            #expect(again.status == 1 && again.stderr == "error: the daemon answered 409: cannot retry job 1: it is succeeded\n", "\(again)")
            let unknown = try await runGrove(["retry", "99"] + daemon.cliOptions)
            #expect(unknown.status == 1 && unknown.stderr == "error: the daemon answered 404: job 99 not found\n", "\(unknown)")
        }

        @Test func gcListsThenRemovesTheFilesOfEndedJobsAndKeepsTheModel() async throws {
            let root = try Fixtures.directory("gc")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            let daemon = try await DaemonProcess(home: home)
            defer { daemon.kill() }
            let file = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: root, name: "day1.csv")
            #expect(try await runGrove(["submit", file.path, "--wait"] + daemon.cliOptions).status == 0)
            let datasets = home.appendingPathComponent("datasets")
            let stored = try FileManager.default.contentsOfDirectory(atPath: datasets.path).sorted()
            #expect(stored.count == 2, "the upload and its spec: \(stored)")

            let kept = try await runGrove(["gc", "--home", home.path, "--dry-run"])
            #expect(kept.status == 0 && kept.lines == ["nothing to remove"], "\(kept)")
            let plan = try await runGrove(["gc", "--home", home.path, "--older-than", "0s", "--dry-run"])
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.lines.count == 3, "\(plan)")
            #expect(plan.lines.dropLast().allSatisfy { $0.hasPrefix("would remove datasets/") && $0.contains("dataset of job 1 (succeeded)") }, "\(plan)")
            #expect(plan.lines.last?.hasPrefix("would remove 2 file(s), ") == true, "\(plan)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: datasets.path).sorted() == stored, "a dry run removes nothing")

            let before = try await snapshot(daemon)
            let run = try await runGrove(["gc", "--home", home.path, "--older-than", "0s"])
            #expect(run.status == 0 && run.lines.first?.hasPrefix("removed datasets/") == true, "\(run)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: datasets.path).isEmpty)
            #expect(try await snapshot(daemon) == before, "jobs, experts, domains and the report are unchanged")

            let bad = try await runGrove(["gc", "--home", home.path, "--older-than", "soon"])
            #expect(bad.status != 0 && bad.stderr.contains("--older-than 'soon' is not a duration"), "\(bad)")
        }
    }
}
