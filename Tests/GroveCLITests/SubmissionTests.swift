import Foundation
import GroveData
import GroveService
import GroveStore
import Testing

extension GroveCLITests {
    @Suite struct Submission {
        @Test func twoHundredConcurrentSubmissionsGiveOneJobPerDistinctFileNoneLost() async throws {
            let root = try Fixtures.directory("many")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            let distinct = 160
            let files = try (0..<distinct).map { i in
                try Fixtures.write(Fixtures.blobsCSV(domain: i % 3, rows: 12, seed: UInt64(i)), to: root, name: "small-\(i).csv")
            }
            let client = try daemon.client()
            // 200 submissions: every file once, and 40 of them a second time.
            let order = Array(0..<distinct) + (0..<40).map { ($0 * 4) % distinct }
            var results: [(file: Int, submitted: APIJobSubmitted)] = []
            try await withThrowingTaskGroup(of: (Int, APIJobSubmitted).self) { group in
                var next = 0
                func add() {
                    guard next < order.count else { return }
                    let file = order[next]
                    next += 1
                    let url = files[file]
                    group.addTask {
                        let stored = try await client.upload(fileAt: url)
                        let spec = DatasetSpec(domain: nil, source: .init(format: .csv, path: stored.path))
                        return (file, try await client.submit(spec))
                    }
                }
                for _ in 0..<16 { add() }
                while let result = try await group.next() {
                    results.append((file: result.0, submitted: result.1))
                    add()
                }
            }
            #expect(results.count == 200)
            let jobByFile = Dictionary(grouping: results, by: \.file).mapValues { Set($0.map(\.submitted.job.id)) }
            #expect(jobByFile.count == distinct)
            #expect(jobByFile.values.allSatisfy { $0.count == 1 }, "a file got two different jobs")
            #expect(Set(jobByFile.values.compactMap(\.first)).count == distinct, "two files share a job")
            #expect(results.filter(\.submitted.created).count == distinct)
            let listed = Set(try await client.jobs().map(\.id))
            #expect(listed == Set(jobByFile.values.compactMap(\.first)))
        }

        @Test func eachMalformedFileFailsWithItsDefectAndLeavesTheModelUnchanged() async throws {
            let root = try Fixtures.directory("malformed")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            let good = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: root, name: "good.csv")
            #expect(try await runGrove(["submit", good.path, "--wait"] + daemon.cliOptions).status == 0)

            var lines = Fixtures.blobsCSV(domain: 1, rows: 40).split(separator: "\n").map(String.init)
            var cells = lines[2].split(separator: ",").map(String.init)
            cells[2] = "abc"
            lines[2] = cells.joined(separator: ",")
            try Fixtures.write(lines.joined(separator: "\n") + "\n", to: root, name: "bad-cell.csv")
            try Fixtures.write(Fixtures.blobsCSV(domain: 1, rows: 40, dimension: 10), to: root, name: "narrow.csv")
            try Fixtures.write((0..<20).map { "f\($0)" }.joined(separator: ",") + ",label\n", to: root, name: "header-only.csv")
            let cases: [(file: String, job: Int64, defect: String)] = [
                ("bad-cell.csv", 2, ":3: column 'f2': 'abc' is not a number"),
                ("narrow.csv", 3, " has 10 features, model 'default' expects 20; submit with --model NAME to start a separate model"),
                ("header-only.csv", 4, ": no samples"),
            ]
            for item in cases {
                let run = try await runGrove(["submit", root.appendingPathComponent(item.file).path, "--wait"] + daemon.cliOptions)
                #expect(run.status == 1, "\(run)")
                #expect(run.stderr == "error: job \(item.job) failed: \(item.file)\(item.defect)\n", "\(run)")
                let job = try await daemon.client().job(id: item.job)
                #expect(job.state == .failed && job.error?.hasSuffix(item.defect) == true, "\(job)")
            }

            try Fixtures.write("", to: root, name: "empty.csv")
            let empty = try await runGrove(["submit", root.appendingPathComponent("empty.csv").path, "--wait"] + daemon.cliOptions)
            #expect(empty.status == 1, "\(empty)")
            #expect(empty.stderr.hasPrefix("error: the daemon answered 400: ") && empty.stderr.contains("empty"), "\(empty)")
            #expect(empty.stderr.split(separator: "\n").count == 1)

            let status = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self)
            #expect(status.version == 1 && status.experts == 1, "\(status)")
            #expect(status.jobs["failed"] == 3 && status.jobs["succeeded"] == 1, "\(status)")
        }

        @Test func aManifestSubmitsItsDomainsInOrder() async throws {
            let root = try Fixtures.directory("manifest")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: root, name: "first.csv")
            try Fixtures.write(Fixtures.blobsCSV(domain: 1), to: root, name: "second.csv")
            let manifest = try Fixtures.write("""
                name: two-blobs
                domains:
                  - name: first
                    source: {format: csv, path: first.csv}
                  - name: second
                    source: {format: csv, path: second.csv}
                """, to: root, name: "stream.yaml")
            let run = try await runGrove(["submit", manifest.path, "--wait"] + daemon.cliOptions)
            #expect(run.status == 0, "\(run)")
            #expect(Array(run.lines.prefix(2)) == ["job 1 queued: two-blobs/first", "job 2 queued: two-blobs/second"], "\(run)")
            #expect(run.lines.last == "job 2: succeeded", "\(run)")
            let domains = try await runGrove(["domains", "--json"] + daemon.cliOptions).json([APIDomain].self)
            #expect(domains.map(\.name) == ["first", "second"])
        }
    }
}
