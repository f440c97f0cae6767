import Foundation
import GroveService
import Testing

extension GroveCLITests {
    @Suite struct Models {
        /// Two models of different input dimensions on one daemon: interleaved submissions, one
        /// model predicting while the other learns, queues taken in turn, a wrong dimension that
        /// says how to start a separate model, and each model's own history across a restart.
        @Test func twoModelsOfDifferentDimensionsShareOneDaemon() async throws {
            let root = try Fixtures.directory("models")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            var daemon = try await DaemonProcess(home: home)
            defer { daemon.kill() }
            func file(_ name: String, region: Int, dimension: Int, rows: Int = 300) throws -> String {
                try Fixtures.write(Fixtures.blobsCSV(domain: region, rows: rows, dimension: dimension), to: root, name: name + ".csv").path
            }
            func submit(_ path: String, model: String, domain: String) async throws -> CLIResult {
                try await runGrove(["submit", path, "--model", model, "--domain", domain] + daemon.cliOptions)
            }

            // Interleaved: eight, twenty, eight, twenty.
            let interleaved = [("eight-a", "eight", 0, 8), ("twenty-a", "twenty", 0, 20), ("eight-b", "eight", 1, 8), ("twenty-b", "twenty", 1, 20)]
            for (i, (name, model, region, dimension)) in interleaved.enumerated() {
                let run = try await submit(try file(name, region: region, dimension: dimension), model: model, domain: name)
                #expect(run.status == 0 && run.lines == ["job \(i + 1) queued: \(name).csv (domain \(name))"], "\(run)")
            }
            let client = try daemon.client()
            let first = try await client.wait(for: [1, 2, 3, 4])
            #expect(first.map(\.state) == [.succeeded, .succeeded, .succeeded, .succeeded], "\(first)\n\(daemon.logText)")
            #expect(first.map(\.model) == ["eight", "twenty", "eight", "twenty"])

            // A long phase of "twenty". Queued behind it: twenty's job 6, then eight's job 7.
            let big = try await submit(try file("twenty-big", region: 2, dimension: 20, rows: 2 * bigRows), model: "twenty", domain: "twenty-big")
            #expect(big.lines == ["job 5 queued: twenty-big.csv (domain twenty-big)"], "\(big)")
            try await waitUntilRunning(job: 5, on: daemon)
            #expect(try await submit(try file("twenty-late", region: 3, dimension: 20), model: "twenty", domain: "twenty-late").status == 0)
            #expect(try await submit(try file("eight-c", region: 2, dimension: 8), model: "eight", domain: "eight-c").status == 0)

            // Meanwhile "eight" answers predictions.
            let predicted = try await runGrove(["predict", root.appendingPathComponent("eight-b.csv").path, "--model", "eight", "--json"] + daemon.cliOptions)
            #expect(predicted.status == 0, "\(predicted)")
            let predictions = try predicted.json([Prediction].self)
            #expect(predictions.count == 300)
            #expect(predictions.enumerated().filter { $0.element.label == String(2 + $0.offset % 2) }.count >= 270)
            #expect(try await client.job(id: 5).state == .running, "the prediction should have been answered during job 5's phase")

            // Models take turns: after twenty's job 5, eight's job 7 runs before twenty's older job 6.
            let deadline = ContinuousClock.now + .seconds(180)
            while try await client.job(id: 6).state == .queued {
                guard ContinuousClock.now < deadline else { throw TestFailure("job 6 never left the queue\n\(daemon.logText)") }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await client.job(id: 7).state == .succeeded, "job 6 was claimed before eight's job 7")
            let turns = try await client.wait(for: [5, 6, 7])
            #expect(turns.map(\.state) == [.succeeded, .succeeded, .succeeded], "\(turns)")

            let wrong = try await runGrove(["submit", try file("eight-features", region: 4, dimension: 8), "--model", "twenty", "--wait"] + daemon.cliOptions)
            #expect(wrong.status == 1, "\(wrong)")
            #expect(wrong.stderr == "error: job 8 failed: eight-features.csv has 8 features, model 'twenty' expects 20; submit with --model NAME to start a separate model\n", "\(wrong)")

            let listed = try await runGrove(["models", "--json"] + daemon.cliOptions)
            #expect(try listed.json([APIModelSummary].self) == [
                APIModelSummary(name: "default", inputDimension: nil, domains: 0, experts: 0, version: nil, classes: 0),
                APIModelSummary(name: "eight", inputDimension: 8, domains: 3, experts: 3, version: 3, classes: 6,
                                features: (0 ..< 8).map { "f\($0)" }),
                APIModelSummary(name: "twenty", inputDimension: 20, domains: 4, experts: 4, version: 4, classes: 8,
                                features: (0 ..< 20).map { "f\($0)" }),
            ], "\(listed)")

            #expect(try await daemon.terminate().status == 0, "\(daemon.logText)")
            daemon = try await DaemonProcess(home: home)
            let restarted = try await runGrove(["models", "--json"] + daemon.cliOptions)
            #expect(restarted.stdout == listed.stdout, "\(restarted)")
            let table = try await runGrove(["models"] + daemon.cliOptions)
            #expect(table.lines == [
                "model    dimension  domains  experts  classes  version",
                "default  -          0        0        0        none yet",
                "eight    8          3        3        6        3",
                "twenty   20         4        4        8        4",
            ], "\(table)")

            let own = ["eight": ["eight-a", "eight-b", "eight-c"], "twenty": ["twenty-a", "twenty-b", "twenty-big", "twenty-late"]]
            for (model, domains) in own {
                let listed = try await runGrove(["domains", "--model", model, "--json"] + daemon.cliOptions)
                #expect(try listed.json([APIDomain].self).map(\.name) == domains, "\(listed)")
                let report = try await runGrove(["report", "--model", model, "--format", "json"] + daemon.cliOptions)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any], "\(report)")
                #expect(document["model"] as? String == model)
                #expect((document["domains"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == domains, "\(report)")
                let text = try await runGrove(["report", "--model", model] + daemon.cliOptions)
                let others = own.filter { $0.key != model }.flatMap(\.value)
                #expect(text.status == 0 && domains.allSatisfy { text.stdout.contains($0) } && !others.contains { text.stdout.contains($0) }, "\(text)")
            }
            let jobs = try await runGrove(["jobs", "--model", "eight", "--json"] + daemon.cliOptions).json([APIJob].self)
            #expect(jobs.map(\.id) == [1, 3, 7])
            let status = try await runGrove(["status", "--model", "twenty", "--json"] + daemon.cliOptions).json(APIStatus.self)
            #expect(status.model == "twenty" && status.version == 4 && status.jobs["failed"] == 1, "\(status)")
            let after = try await runGrove(["predict", root.appendingPathComponent("twenty-a.csv").path, "--model", "twenty", "--json"] + daemon.cliOptions)
            #expect(try after.json([Prediction].self).enumerated().filter { $0.element.label == String($0.offset % 2) }.count >= 270, "\(after)")

            let unknown = try await runGrove(["domains", "--model", "nope"] + daemon.cliOptions)
            #expect(unknown.status == 1)
            #expect(unknown.stderr == "error: the daemon answered 404: unknown model 'nope'; known models: default, eight, twenty\n", "\(unknown)")
            let malformed = try await runGrove(["status", "--model", "no spaces"] + daemon.cliOptions)
            #expect(malformed.status != 0 && malformed.stderr.contains("model name 'no spaces' is not valid"), "\(malformed)")

            // Without a daemon the home's database answers the same per model.
            let served = try await runGrove(["domains", "--model", "twenty", "--json", "--home", home.path])
            #expect(try await daemon.terminate().status == 0)
            let local = try await runGrove(["domains", "--model", "twenty", "--json", "--home", home.path])
            #expect(local.status == 0 && local.stdout == served.stdout, "\(local)")
        }
    }
}
