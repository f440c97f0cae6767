import Foundation
import GroveService
import Testing

extension GroveCLITests {
    @Suite struct Home {
        /// Commands given only `--home` use the daemon serving it (found through its
        /// `daemon.json`); once it has stopped they read the home's database and print the same.
        @Test func commandsGivenOnlyTheHomeUseItsDaemonThenItsDatabase() async throws {
            let root = try Fixtures.directory("home")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            let note = home.appendingPathComponent("daemon.json")
            let daemon = try await DaemonProcess(home: home)
            defer { daemon.kill() }
            let written = try Data(contentsOf: note).decoded(DaemonFile.self)
            #expect(written.url == daemon.server && written.pid == daemon.pid)

            let file = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: root, name: "zero.csv")
            let submitted = try await runGrove(["submit", file.path, "--domain", "zero", "--wait", "--home", home.path])
            #expect(submitted.status == 0, "\(submitted)")
            let commands = [["domains", "--json"], ["experts", "--json"], ["status", "--json"], ["jobs", "--json"], ["evaluate", "--json"]]
            var served: [String] = []
            for command in commands {
                let run = try await runGrove(command + ["--home", home.path])
                #expect(run.status == 0, "\(run)")
                served.append(run.stdout)
            }
            let metrics = String(decoding: try await daemon.client().raw("/metrics"), as: UTF8.self)
            #expect(metrics.contains(#"grove_http_requests_total{method="GET",route="/v1/models/{model}/domains",status="200"} 1"#), "\(metrics)")
            #expect(metrics.contains("grove_experts{model=\"default\"} 1.0"), "\(metrics)")
            #expect(try await runGrove(["experts", "--json", "--home", home.path]).json([APIExpert].self).count == 1)

            #expect(try await daemon.terminate().status == 0)
            #expect(!FileManager.default.fileExists(atPath: note.path), "a stopped daemon removes its note")
            for (command, answer) in zip(commands, served) {
                let run = try await runGrove(command + ["--home", home.path])
                #expect(run.status == 0 && run.stdout == answer, "\(command): \(run)")
            }
            let report = try await runGrove(["report", "--format", "json", "--home", home.path])
            let document = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
            #expect((document?["phases"] as? [Any])?.count == 1, "\(report)")
            let predicted = try await runGrove(["predict", file.path, "--home", home.path])
            #expect(predicted.status == 0 && predicted.lines.count == 300, "\(predicted.stderr)")
            let correct = predicted.lines.enumerated().filter { i, line in line.split(separator: " ", omittingEmptySubsequences: true)[1] == "\(i % 2)" }
            #expect(correct.count > 285, "\(correct.count) of 300 predicted right from the database")
        }

        /// A daemon killed with SIGKILL leaves its note behind: reads fall back to the
        /// database, and a submission says which address did not answer.
        @Test func aKilledDaemonsNoteIsNotTrusted() async throws {
            let root = try Fixtures.directory("stale")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            let daemon = try await DaemonProcess(home: home)
            let file = try Fixtures.write(Fixtures.blobsCSV(domain: 1), to: root, name: "one.csv")
            #expect(try await runGrove(["submit", file.path, "--wait", "--home", home.path]).status == 0)
            daemon.kill()
            #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("daemon.json").path))
            let experts = try await runGrove(["experts", "--json", "--home", home.path])
            #expect(experts.status == 0, "\(experts)")
            #expect(try experts.json([APIExpert].self).map(\.id) == [0])
            let refused = try await runGrove(["submit", file.path, "--home", home.path])
            #expect(refused.status == 1 && refused.stdout == "", "\(refused)")
            #expect(refused.stderr == "error: cannot reach the daemon at \(daemon.server): connection refused\n", "\(refused)")
        }
    }
}
