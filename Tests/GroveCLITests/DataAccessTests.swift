import Foundation
import GroveData
import GroveService
import Testing

extension GroveCLITests {
    /// The daemon reads only uploads and the directories named with `--data-root`.
    @Suite struct DataAccessBoundary {
        @Test func specsNamingFilesOutsideTheUploadsAre403AndNothingIsQueued() async throws {
            let root = try Fixtures.directory("outside")
            defer { Fixtures.remove(root) }
            let home = root.appendingPathComponent("home")
            let daemon = try await DaemonProcess(home: home)
            defer { daemon.kill() }
            let client = try daemon.client()
            let local = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: root, name: "local.csv")
            let uploaded = try await client.upload(fileAt: local)
            let permissions = try FileManager.default.attributesOfItem(atPath: uploaded.path)[.posixPermissions] as? Int
            #expect(permissions == 0o444, "uploads are stored read-only")

            let attempts: [(JobManifest.Source, String)] = [
                (.init(format: .csv, path: "/etc/passwd"), "spec.source.path"),
                (.init(format: .csv, path: home.path + "/datasets/../../../../../etc/passwd"), "spec.source.path"),
                (.init(format: .csv, path: "/no/such/dir/data.csv"), "spec.source.path"),
                (.init(format: .csv, path: local.path), "spec.source.path"),
                (.init(format: .npy, path: uploaded.path, labels: "/etc/passwd"), "spec.source.labels"),
            ]
            for (source, field) in attempts {
                do {
                    _ = try await client.submit(DatasetSpec(domain: nil, source: source))
                    Issue.record("\(source.path) was accepted")
                } catch let ClientError.status(code, message) {
                    #expect(code == 403, "\(message)")
                    #expect(message.hasPrefix(field + ": ") && message.contains("outside the files this daemon may read"), "\(message)")
                }
            }
            #expect(try await client.jobs().isEmpty)
            let relative = try await runGrove(["submit", local.path] + daemon.cliOptions)
            #expect(relative.status == 0, "an upload through the CLI still works: \(relative)")
        }

        @Test func aDataRootAdmitsItsFilesButNoLinkOrClimbOutOfIt() async throws {
            let root = try Fixtures.directory("roots")
            defer { Fixtures.remove(root) }
            let data = root.appendingPathComponent("data"), outside = root.appendingPathComponent("outside")
            for dir in [data, outside] { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"), arguments: ["--data-root", data.path])
            defer { daemon.kill() }
            let client = try daemon.client()
            let secret = try Fixtures.write(Fixtures.blobsCSV(domain: 1), to: outside, name: "secret.csv")
            try FileManager.default.createSymbolicLink(at: data.appendingPathComponent("link.csv"), withDestinationURL: secret)
            for path in [data.appendingPathComponent("link.csv").path, data.path + "/../outside/secret.csv"] {
                do {
                    _ = try await client.submit(DatasetSpec(domain: nil, source: .init(format: .csv, path: path)))
                    Issue.record("\(path) was accepted")
                } catch let ClientError.status(code, message) {
                    #expect(code == 403 && message.hasPrefix("spec.source.path: "), "\(message)")
                }
            }
            do {
                _ = try await client.submit(DatasetSpec(domain: nil, source: .init(format: .csv, path: "data/inside.csv")))
                Issue.record("a relative path was accepted")
            } catch let ClientError.status(code, message) {
                #expect(code == 400 && message == "spec.source.path: 'data/inside.csv' is not an absolute path", "\(message)")
            }
            #expect(try await client.jobs().isEmpty)

            // A manifest naming files under the root is read in place: nothing is uploaded.
            let inside = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: data, name: "inside.csv")
            let manifest = try Fixtures.write("""
                name: rooted
                domains:
                  - name: first
                    source: { format: csv, path: \(inside.path) }
                """, to: root, name: "rooted.yaml")
            let run = try await runGrove(["submit", manifest.path, "--wait"] + daemon.cliOptions)
            #expect(run.status == 0, "\(run)")
            let stored = try FileManager.default.contentsOfDirectory(atPath: daemon.home.appendingPathComponent("datasets").path)
            #expect(stored.allSatisfy { $0.hasSuffix(".spec.json") }, "\(stored)")
        }

        @Test func aMissingDataRootStopsTheDaemonAtStart() async throws {
            let root = try Fixtures.directory("badroot")
            defer { Fixtures.remove(root) }
            let run = try await runGrove(["daemon", "--home", root.appendingPathComponent("home").path, "--listen", "127.0.0.1:\(try freePort())",
                                          "--data-root", root.appendingPathComponent("missing").path])
            #expect(run.status == 1 && run.stderr.hasSuffix("missing: no such directory\n"), "\(run)")
        }
    }
}

