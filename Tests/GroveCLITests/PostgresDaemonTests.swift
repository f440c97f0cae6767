import Foundation
import GroveService
import GroveTestSupport
import Testing

extension GroveCLITests {
    /// `grove daemon --store postgres://…` through the real binaries: phases (run in child
    /// processes, which find the store through GROVE_STORE) commit to the server, and the
    /// read-only commands read the same rows with `--store`, with no daemon running.
    @Suite struct PostgresDaemon {
        @Test func aDaemonOnPostgreSQLLearnsAndTheCLIReadsTheServerDirectly() async throws {
            let cluster = try PostgresTestCluster.shared()
            let url = try cluster.makeDatabase()
            let root = try Fixtures.directory("postgres-daemon")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"), arguments: ["--store", url])
            defer { daemon.kill() }
            for region in 0..<2 {
                let file = try Fixtures.write(Fixtures.blobsCSV(domain: region), to: root, name: "region-\(region).csv")
                let run = try await runGrove(["submit", file.path, "--domain", "region-\(region)"] + daemon.cliOptions)
                #expect(run.status == 0, "\(run)")
            }
            let jobs = try await daemon.client().wait(for: [1, 2])
            #expect(jobs.map(\.state) == [.succeeded, .succeeded], "\(jobs)\n\(daemon.logText)")
            #expect(daemon.logText.contains("grove.store=postgres://grove@127.0.0.1:\(cluster.port)/"), "the daemon names its store")
            try await daemon.terminate()

            // Rows, not the daemon: two versions, two domains, experts with lineage.
            let versions = try cluster.psql(url, ["-c", "SELECT number FROM model_versions ORDER BY number"])
            #expect(versions.split(separator: "\n") == ["1", "2"])
            let status = try await runGrove(["status", "--store", url, "--json"], removing: ["GROVE_SERVER"])
            #expect(status.status == 0, "\(status)")
            #expect(status.stdout.contains("\"version\" : 2") && status.stdout.contains("\"succeeded\" : 2"), "\(status.stdout)")
            let domains = try await runGrove(["domains", "--home", root.appendingPathComponent("elsewhere").path, "--json"],
                                             environment: ["GROVE_STORE": url], removing: ["GROVE_SERVER"])
            #expect(domains.status == 0 && domains.stdout.contains("\"region-0\""), "\(domains)")
            let report = try await runGrove(["report", "--store", url, "--format", "json"], removing: ["GROVE_SERVER"])
            #expect(report.status == 0, "\(report)")

            let refused = try await runGrove(["status", "--store", "mysql://x/y"], removing: ["GROVE_SERVER"])
            #expect(refused.status != 0 && refused.stderr.contains("neither 'sqlite' nor a postgres:// URL"), "\(refused)")
        }
    }
}
