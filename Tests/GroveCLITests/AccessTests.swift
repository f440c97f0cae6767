import Foundation
import GroveService
import Testing

extension GroveCLITests {
    @Suite struct Access {
        @Test func withATokenRequestsWithoutItGet401() async throws {
            let root = try Fixtures.directory("token")
            defer { Fixtures.remove(root) }
            let tokenFile = try Fixtures.write("s3cret\n", to: root, name: "token")
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"), tokenFile: tokenFile)
            defer { daemon.kill() }
            let denied = try await runGrove(["status", "--server", daemon.server])
            #expect(denied.status == 1, "\(denied)")
            #expect(denied.stdout == "" && denied.stderr.hasPrefix("error: the daemon answered 401: "), "\(denied)")
            #expect(denied.stderr.split(separator: "\n").count == 1, "\(denied)")
            let wrong = try await runGrove(["jobs", "--server", daemon.server], environment: ["GROVE_TOKEN": "nope"])
            #expect(wrong.status == 1 && wrong.stderr.hasPrefix("error: the daemon answered 401: "), "\(wrong)")
            let allowed = try await runGrove(["status"] + daemon.cliOptions)
            #expect(allowed.status == 0, "\(allowed)")
            // The daemon names its BLAS kernels and who chose them, in the status and its start log.
            #expect(allowed.lines.contains { $0.hasPrefix("blas") && $0.contains("(chosen by ") }, "\(allowed)")
            #expect(daemon.logText.contains("blas.core_source="), "\(daemon.logText)")
            let fromEnvironment = try await runGrove(["jobs", "--server", daemon.server], environment: ["GROVE_TOKEN": "s3cret"])
            #expect(fromEnvironment.status == 0 && fromEnvironment.stdout == "no jobs\n", "\(fromEnvironment)")
            #expect(try await daemon.client().health())
        }

        @Test func aFileRenamedIntoTheInboxIsLearned() async throws {
            let root = try Fixtures.directory("inbox")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            let daemon = try await DaemonProcess(home: home)
            defer { daemon.kill() }
            let written = try Fixtures.write(Fixtures.blobsCSV(domain: 2), to: root, name: "dropped.csv")
            let inboxFile = home.appendingPathComponent("inbox/dropped.csv")
            try FileManager.default.moveItem(at: written, to: inboxFile)
            let client = try daemon.client()
            let deadline = ContinuousClock.now + .seconds(60)
            var jobs = try await client.jobs()
            while jobs.first?.state.isFinal != true {
                guard ContinuousClock.now < deadline else { throw TestFailure("the inbox file was not learned: \(jobs)\n\(daemon.logText)") }
                try await Task.sleep(for: .milliseconds(100))
                jobs = try await client.jobs()
            }
            #expect(jobs.count == 1 && jobs[0].state == .succeeded, "\(jobs)")
            #expect(!FileManager.default.fileExists(atPath: inboxFile.path))
            let experts = try await runGrove(["experts", "--json"] + daemon.cliOptions).json([APIExpert].self)
            #expect(experts.count == 1)
        }

        @Test func anUnreachableDaemonIsOneErrorLine() async throws {
            let port = try freePort()
            let run = try await runGrove(["status", "--server", "http://127.0.0.1:\(port)"])
            #expect(run.status == 1)
            #expect(run.stdout == "")
            #expect(run.stderr == "error: cannot reach the daemon at http://127.0.0.1:\(port): connection refused\n", "\(run)")
        }
    }
}
