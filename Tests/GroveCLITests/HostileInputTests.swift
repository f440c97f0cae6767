import Foundation
import GroveData
import GroveService
import Testing

extension GroveCLITests {
    /// Requests a hostile or careless client sends a real daemon: each gets its one-line answer,
    /// and the daemon stays up, keeps predicting, and its model is unchanged.
    @Suite struct HostileInput {
        @Test func aTwentyFiveByteIDXWhoseHeaderOverflowsFailsItsJob() async throws {
            let trained = try await TrainedDaemon("idx-overflow")
            defer { trained.close() }
            var images: [UInt8] = [0, 0, 0x08, 3, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
            images += [UInt8](repeating: 7, count: 9)
            let labels: [UInt8] = [0, 0, 0x08, 1, 0, 0, 0, 1, 3]
            let client = try trained.daemon.client()
            let storedImages = try await client.upload(fileAt: try trained.write(images, name: "evil-images.idx3-ubyte"))
            let storedLabels = try await client.upload(fileAt: try trained.write(labels, name: "evil-labels.idx1-ubyte"))
            let spec = DatasetSpec(domain: nil, source: .init(format: .idx, path: storedImages.path, labels: storedLabels.path))
            let job = try await client.submit(spec).job
            let ended = try #require(try await client.wait(for: [job.id]).first)
            #expect(ended.state == .failed && ended.attempts == 1, "\(ended)")
            #expect(ended.error?.contains("bad IDX header: dimensions [1, 4294967295, 4294967295] describe more bytes than can be addressed") == true,
                    "\(String(describing: ended.error))")
            try await trained.expectUnharmed()
        }

        @Test func aNegativeLimitIs400AndNothingIsQueued() async throws {
            let trained = try await TrainedDaemon("limit")
            defer { trained.close() }
            let client = try trained.daemon.client()
            let upload = try await client.upload(fileAt: trained.training)
            do {
                _ = try await client.submit(DatasetSpec(domain: nil, source: .init(format: .csv, path: upload.path), limit: -1))
                Issue.record("limit -1 was accepted")
            } catch let ClientError.status(code, message) {
                #expect(code == 400 && message.hasPrefix("spec.limit"), "\(message)")
            }
            #expect(try await client.jobs().count == 1)
            try await trained.expectUnharmed()
        }

        @Test func aSystemFileNamedAsLabelsIs403() async throws {
            let trained = try await TrainedDaemon("passwd")
            defer { trained.close() }
            let client = try trained.daemon.client()
            let upload = try await client.upload(fileAt: trained.training)
            for labels in ["/etc/passwd", trained.daemon.home.path + "/../../../../etc/passwd"] {
                do {
                    _ = try await client.submit(DatasetSpec(domain: nil, source: .init(format: .npy, path: upload.path, labels: labels)))
                    Issue.record("\(labels) was accepted")
                } catch let ClientError.status(code, message) {
                    #expect(code == 403 && message.hasPrefix("spec.source.labels: "), "\(message)")
                }
            }
            #expect(try await client.jobs().count == 1)
            try await trained.expectUnharmed()
        }

        @Test func theOperatorsReaderCapsReachThePhaseAndAGzipBombFailsItsJob() async throws {
            let trained = try await TrainedDaemon("caps", arguments: ["--max-rows", "400", "--max-decompressed-bytes", "1000000"])
            defer { trained.close() }
            let client = try trained.daemon.client()
            let long = try Fixtures.write(Fixtures.blobsCSV(domain: 1, rows: 500), to: trained.root, name: "long.csv")
            let bomb = trained.root.appendingPathComponent("bomb.csv")
            try Data(("f0,label\n" + String(repeating: "0,0\n", count: 2_000_000)).utf8).write(to: bomb)
            let gzip = Process()
            gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
            gzip.arguments = ["-f", bomb.path]
            try gzip.run()
            gzip.waitUntilExit()
            let cases: [(URL, String)] = [
                (long, "more than 400 rows; raise the cap with --max-rows"),
                (bomb.appendingPathExtension("gz"), "more than 1000000 bytes after gzip decompression; raise the cap with --max-decompressed-bytes"),
            ]
            for (file, message) in cases {
                let upload = try await client.upload(fileAt: file)
                let job = try await client.submit(DatasetSpec(domain: nil, source: .init(format: .csv, path: upload.path))).job
                let ended = try #require(try await client.wait(for: [job.id]).first)
                #expect(ended.state == .failed && ended.error?.contains(message) == true && ended.error?.contains("\n") == false,
                        "\(String(describing: ended.error))")
            }
            try await trained.expectUnharmed()
        }

        @Test func aFIFOOrADirectoryNamedAsADatasetIs400WithoutOpeningIt() async throws {
            let trained = try await TrainedDaemon("fifo", dataRoot: true)
            defer { trained.close() }
            let fifo = trained.data.appendingPathComponent("pipe.csv")
            #expect(mkfifo(fifo.path, 0o600) == 0)
            let client = try trained.daemon.client()
            for path in [fifo.path, trained.data.path] {
                do {
                    _ = try await client.submit(DatasetSpec(domain: nil, source: .init(format: .csv, path: path)))
                    Issue.record("\(path) was accepted")
                } catch let ClientError.status(code, message) {
                    #expect(code == 400 && message == "spec.source.path: \(path) is not a regular file (a directory, FIFO or device is never read)",
                            "\(message)")
                }
            }
            #expect(try await client.jobs().count == 1)
            try await trained.expectUnharmed()
        }
    }
}

/// A real daemon with one learned phase, and what it answered before any hostile request.
private struct TrainedDaemon {
    let root: URL
    let data: URL
    let daemon: DaemonProcess
    let training: URL
    let predictions: String
    let version: Int?

    init(_ name: String, dataRoot: Bool = false, arguments: [String] = []) async throws {
        root = try Fixtures.directory(name)
        data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        daemon = try await DaemonProcess(home: root.appendingPathComponent("home"),
                                         arguments: (dataRoot ? ["--data-root", data.path] : []) + arguments)
        training = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: root, name: "train.csv")
        let learned = try await runGrove(["submit", training.path, "--wait"] + daemon.cliOptions)
        guard learned.status == 0 else { throw TestFailure("the first phase failed: \(learned)") }
        predictions = try await Self.predict(training, on: daemon)
        version = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self).version
    }

    func write(_ bytes: [UInt8], name: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Checks the daemon is up, predicts as before and still serves the same version.
    func expectUnharmed(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(daemon.isRunning, "the daemon died:\n\(daemon.logText)", sourceLocation: sourceLocation)
        #expect(try await daemon.client().health(), sourceLocation: sourceLocation)
        #expect(try await Self.predict(training, on: daemon) == predictions, "predictions changed", sourceLocation: sourceLocation)
        let status = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self)
        #expect(status.version == version && status.running == nil, "\(status)", sourceLocation: sourceLocation)
    }

    func close() {
        daemon.kill()
        Fixtures.remove(root)
    }

    private static func predict(_ file: URL, on daemon: DaemonProcess) async throws -> String {
        let run = try await runGrove(["predict", file.path, "--json"] + daemon.cliOptions)
        guard run.status == 0 else { throw TestFailure("predict failed: \(run)") }
        return run.stdout
    }
}
