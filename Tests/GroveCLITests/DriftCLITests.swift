import Foundation
import GroveData
import GroveService
import Testing

extension GroveCLITests {
    /// The watch on prediction inputs through the real binaries: `grove predict` answers carry
    /// novelty, and after rows of a domain the model never learned, `grove drift` lists one
    /// event whose candidate holds their rows.
    @Suite struct Drift {
        @Test func predictionsOfAnUnseenDomainRaiseADriftEventThatGroveDriftLists() async throws {
            let root = try Fixtures.directory("drift")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            // No rests between tests (`--watch-cpu 1`): under a parallel test run, they would
            // follow the long time each test waits for its idle-class thread.
            let daemon = try await DaemonProcess(home: home, arguments: ["--watch-window", "64", "--watch-windows", "2", "--watch-cpu", "1"])
            defer { daemon.kill() }
            for k in 0..<2 {
                let file = try Fixtures.write(Fixtures.blobsCSV(domain: k), to: root, name: "blobs-\(k).csv")
                let run = try await runGrove(["submit", file.path, "--domain", "blobs-\(k)", "--wait"] + daemon.cliOptions)
                #expect(run.status == 0 && run.lines.last == "job \(k + 1): succeeded", "\(run)")
            }
            let known = try Fixtures.write(Fixtures.blobsCSV(domain: 0, rows: 128, seed: 99), to: root, name: "known.csv")
            let unseen = try Fixtures.write(Fixtures.blobsCSV(domain: 4, rows: 128, seed: 99), to: root, name: "unseen.csv")

            // The daemon reads the new version's domains in the background: predict until the
            // answers carry novelty (those before it are not watched).
            var knownNovelty: [Double] = []
            for _ in 0..<50 where knownNovelty.isEmpty {
                let run = try await runGrove(["predict", known.path, "--json"] + daemon.cliOptions)
                #expect(run.status == 0, "\(run)")
                knownNovelty = try run.json([Prediction].self).compactMap(\.novelty)
                if knownNovelty.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(knownNovelty.count == 128)
            let answers = try await runGrove(["predict", unseen.path, "--json"] + daemon.cliOptions).json([Prediction].self)
            let unseenNovelty = answers.compactMap(\.novelty)
            #expect(unseenNovelty.count == 128)
            #expect(unseenNovelty.sorted()[64] > 3 * knownNovelty.sorted()[64], "known \(knownNovelty.sorted()[64]), unseen \(unseenNovelty.sorted()[64])")

            var drift = APIDrift(model: "default", events: [], windows: [])
            for _ in 0..<100 where drift.events.isEmpty {
                drift = try await runGrove(["drift", "--json"] + daemon.cliOptions).json(APIDrift.self)
                if drift.events.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(drift.events.count == 1, "\(drift)")
            #expect(drift.events.first?.rows == 128 && drift.events.first?.features == 20, "\(drift)")
            #expect(drift.windows.count == 4 && drift.windows.prefix(2).allSatisfy { !$0.fits } && drift.windows.suffix(2).allSatisfy(\.fits),
                    "two known windows fit, two unseen ones do not: \(drift.windows)")
            let text = try await runGrove(["drift"] + daemon.cliOptions)
            #expect(text.status == 0 && text.lines.first?.hasPrefix("event") == true, "\(text)")
            let eventID = try #require(drift.events.first?.id)

            // The candidate is the unseen rows, in the order they were predicted, in both formats.
            let exported = root.appendingPathComponent("candidate.npy")
            let export = try await runGrove(["drift", "export", String(eventID), "--out", exported.path] + daemon.cliOptions)
            #expect(export.status == 0, "\(export)")
            let unseenRows = try CSVReader.read(path: unseen.path)
            #expect(try NPYReader.readFeatures(path: exported.path).features == unseenRows.features)
            let exportedCSV = root.appendingPathComponent("candidate-\(eventID).csv")
            let csvExport = try await runGrove(["drift", "export", String(eventID), "--format", "csv"] + daemon.cliOptions, directory: root)
            #expect(csvExport.status == 0, "\(csvExport)")
            let csvLines = try String(contentsOf: exportedCSV, encoding: .utf8).split(separator: "\n")
            // Headed with the names of the model's features, from the first CSV it learned.
            #expect(csvLines.count == 129 && csvLines.first?.hasPrefix("label,f0,f1,") == true && csvLines.dropFirst().allSatisfy { $0.hasPrefix(",") })
            let again = try await runGrove(["drift", "export", String(eventID), "--out", exported.path] + daemon.cliOptions)
            #expect(again.status == 1 && again.stderr.contains("pass --force"), "\(again)")
            let unknown = try await runGrove(["drift", "export", "99"] + daemon.cliOptions, directory: root)
            #expect(unknown.status == 1 && unknown.stderr.contains("has no drift event 99"), "\(unknown)")

            // Labelled and submitted, the candidate grows an expert that its domain's rows route to.
            let labels = unseenRows.labelCodes.map { unseenRows.labelNames[Int($0)] }
            let short = try Fixtures.write(labels.dropLast().joined(separator: "\n"), to: root, name: "short-labels.txt")
            let refused = try await runGrove(["submit", short.path, "--candidate", String(eventID)] + daemon.cliOptions)
            #expect(refused.status == 1 && refused.stderr.contains("127 labels, but drift event \(eventID) has 128 samples"), "\(refused)")
            let labelsFile = try Fixtures.write(labels.joined(separator: "\n") + "\n", to: root, name: "labels.txt")
            let learn = try await runGrove(["submit", labelsFile.path, "--candidate", String(eventID), "--domain", "unseen", "--wait"] + daemon.cliOptions)
            #expect(learn.status == 0 && learn.lines.last == "job 3: succeeded", "\(learn)")
            let domains = try await runGrove(["domains", "--json"] + daemon.cliOptions).json([APIDomain].self)
            let grown = try #require(domains.first { $0.name == "unseen" })
            #expect(!grown.experts.isEmpty && grown.firstPhase == 2, "\(domains)")
            let fresh = try Fixtures.write(Fixtures.blobsCSV(domain: 4, rows: 200, seed: 5), to: root, name: "fresh.csv")
            let routed = try await runGrove(["predict", fresh.path, "--json"] + daemon.cliOptions).json([Prediction].self)
            let share = Double(routed.filter { grown.experts.contains($0.experts.first ?? -1) }.count) / Double(routed.count)
            #expect(routed.count == 200 && share >= 0.95, "routed to the grown experts: \(share)")

            // Rolled back to version 2, the model predicts without the grown experts again.
            let rolled = try await runGrove(["rollback", "2", "--json"] + daemon.cliOptions).json(APIVersion.self)
            #expect(rolled.number == 4 && rolled.rolledBackTo == 2 && rolled.serving && rolled.newExperts == 0, "\(rolled)")
            let versions = try await runGrove(["versions"] + daemon.cliOptions)
            #expect(versions.status == 0 && versions.stdout.contains("rollback to 2"), "\(versions)")
            let afterRollback = try await runGrove(["predict", fresh.path, "--json"] + daemon.cliOptions).json([Prediction].self)
            #expect(afterRollback.allSatisfy { !grown.experts.contains($0.experts.first ?? -1) })
            let newest = try await runGrove(["rollback", "4"] + daemon.cliOptions)
            #expect(newest.status == 1 && newest.stderr.contains("version 4 is the newest"), "\(newest)")

            // The read-only path (no daemon) prints the same view.
            drift = try await runGrove(["drift", "--json"] + daemon.cliOptions).json(APIDrift.self)
            let stop = try await daemon.terminate()
            #expect(stop.status == 0)
            let offline = try await runGrove(["drift", "--json", "--home", home.path]).json(APIDrift.self)
            // Windows still being tested when the daemon read its view (the rows predicted after
            // the rollback fit no domain) may have been recorded since, with an event.
            let shown = offline.windows.map(\.id).filter { $0 <= (drift.windows.first?.id ?? 0) }
            let events = offline.events.map(\.id).filter { $0 <= (drift.events.last?.id ?? 0) }
            #expect(events == drift.events.map(\.id) && !events.isEmpty && shown == drift.windows.map(\.id) && !shown.isEmpty)
        }
    }
}
