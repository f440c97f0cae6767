import Foundation
import GroveData
import GroveService
import GroveStore
import Testing

extension GroveCLITests {
    /// Each phase runs in a `grove phase` child process: its death fails its job, never the daemon.
    @Suite struct CrashContainment {
        @Test func aPhaseKilledByASignalFailsItsJobNamingTheSignalAndTheDaemonCarriesOn() async throws {
            let root = try Fixtures.directory("crash")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            let small = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: root, name: "small.csv")
            #expect(try await runGrove(["submit", small.path, "--wait"] + daemon.cliOptions).status == 0)
            let before = try await runGrove(["predict", small.path, "--json"] + daemon.cliOptions)
            #expect(before.status == 0, "\(before)")

            let big = try Fixtures.write(Fixtures.blobsCSV(domain: 1, rows: bigRows), to: root, name: "big.csv")
            #expect(try await runGrove(["submit", big.path] + daemon.cliOptions).status == 0)
            try await waitUntilRunning(job: 2, on: daemon)
            let child = try #require(daemon.lastPhasePID, "no phase.pid in the log:\n\(daemon.logText)")
            #expect(child != daemon.pid)
            #expect(kill(child, SIGKILL) == 0)

            let client = try daemon.client()
            let failed = try await client.wait(for: [2]).first
            #expect(failed?.state == .failed, "\(String(describing: failed))")
            let error = failed?.error ?? ""
            #expect(error.hasPrefix("the phase process died of SIGKILL"), "\(error)")
            #expect(error.contains("not retried automatically") && !error.contains("\n"), "\(error)")
            #expect(daemon.isRunning)
            #expect(try await client.health())
            let after = try await runGrove(["predict", small.path, "--json"] + daemon.cliOptions)
            #expect(after.status == 0 && after.stdout == before.stdout, "predictions changed after the crash")
            // Not retried: the job stays failed after its first attempt.
            try await Task.sleep(for: .seconds(1))
            let settled = try await client.job(id: 2)
            #expect(settled.state == .failed && settled.attempts == 1, "\(settled)")
            let status = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self)
            #expect(status.version == 1 && status.running == nil, "\(status)")
            let next = try Fixtures.write(Fixtures.blobsCSV(domain: 2), to: root, name: "next.csv")
            #expect(try await runGrove(["submit", next.path, "--wait"] + daemon.cliOptions).status == 0, "the runner is stuck")
        }

        @Test func aPhaseOverItsMemoryCapFailsNamingTheCapWhileSmallerPhasesPass() async throws {
            let root = try Fixtures.directory("memory")
            defer { Fixtures.remove(root) }
            let data = root.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"),
                                                 arguments: ["--phase-memory-limit", "2G", "--data-root", data.path])
            defer { daemon.kill() }
            let small = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: data, name: "small.csv")
            let fits = try await runGrove(["submit", small.path, "--wait"] + daemon.cliOptions)
            #expect(fits.status == 0, "a small phase fails under the cap: \(fits)")

            // 400 000 × 784 float32 features (1.25 GB of zeros, a sparse file) cannot be read
            // within 2 GB of address space beside the process's own.
            let rows = 400_000
            let features = try sparseNPY(at: data.appendingPathComponent("huge.npy"), descr: "<f4", shape: "(\(rows), 784)", bytes: rows * 784 * 4)
            let labels = try sparseNPY(at: data.appendingPathComponent("huge-labels.npy"), descr: "<i8", shape: "(\(rows),)", bytes: rows * 8)
            let submitted = try await daemon.client().submit(DatasetSpec(domain: nil, source: .init(format: .npy, path: features.path, labels: labels.path)))
            let ended = try await daemon.client().wait(for: [submitted.job.id]).first
            #expect(ended?.state == .failed, "\(String(describing: ended))")
            let error = ended?.error ?? ""
            #expect(error.contains("the phase process died of SIG") && error.contains("allocate"), "\(error)")
            #expect(error.contains("memory cap of 2048 MiB (grove daemon --phase-memory-limit)"), "\(error)")
            #expect(try await daemon.client().health())
            let status = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self)
            #expect(status.version == 1, "\(status)")
        }

        @Test func cancellingARunningJobStopsItsPhaseAndTheModelStaysAsItWas() async throws {
            let root = try Fixtures.directory("cancel")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            let small = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: root, name: "small.csv")
            #expect(try await runGrove(["submit", small.path, "--wait"] + daemon.cliOptions).status == 0)
            let big = try Fixtures.write(Fixtures.blobsCSV(domain: 1, rows: bigRows), to: root, name: "big.csv")
            #expect(try await runGrove(["submit", big.path] + daemon.cliOptions).status == 0)
            try await waitUntilRunning(job: 2, on: daemon)
            let child = try #require(daemon.lastPhasePID)

            let cancel = try await runGrove(["cancel", "2"] + daemon.cliOptions)
            #expect(cancel.status == 0 && cancel.stdout == "job 2 cancelled\n", "\(cancel)")
            let ended = try await daemon.client().wait(for: [2]).first
            #expect(ended?.state == .cancelled, "\(String(describing: ended))")
            try await waitUntilGone(child)
            let again = try await runGrove(["cancel", "2"] + daemon.cliOptions)
            #expect(again.status == 1 && again.stderr == "error: the daemon answered 409: cannot cancel job 2: it is cancelled\n", "\(again)")
            let status = try await runGrove(["status", "--json"] + daemon.cliOptions).json(APIStatus.self)
            #expect(status.version == 1 && status.running == nil, "\(status)")
        }

        @Test func aJobSeenSucceededIsAlreadyServedByTheDaemon() async throws {
            let root = try Fixtures.directory("served")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            let client = try daemon.client()
            for k in 0..<3 {
                let file = try Fixtures.write(Fixtures.blobsCSV(domain: k), to: root, name: "d\(k).csv")
                let upload = try await client.upload(fileAt: file)
                let job = try await client.submit(DatasetSpec(domain: "d\(k)", source: .init(format: .csv, path: upload.path))).job
                // Poll fast: the first answer that says succeeded must come with the new version.
                while try await client.job(id: job.id).state != .succeeded { try await Task.sleep(for: .milliseconds(5)) }
                let status = try await client.status()
                #expect(status.version == k + 1 && status.domains == k + 1, "\(status)")
            }
        }

        @Test func aDaemonKilledWithSIGKILLLeavesNoPhaseProcessBehind() async throws {
            let root = try Fixtures.directory("orphan")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            let big = try Fixtures.write(Fixtures.blobsCSV(domain: 0, rows: bigRows), to: root, name: "big.csv")
            #expect(try await runGrove(["submit", big.path] + daemon.cliOptions).status == 0)
            try await waitUntilRunning(job: 1, on: daemon)
            let child = try #require(daemon.lastPhasePID)
            #expect(isAlive(child))
            daemon.kill()
            try await waitUntilGone(child)
        }
    }
}

/// Whether process `pid` exists and is not a zombie.
private func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
}

/// Polls until process `pid` has ended (5 s at most).
private func waitUntilGone(_ pid: Int32) async throws {
    let deadline = ContinuousClock.now + .seconds(5)
    while isAlive(pid) {
        guard ContinuousClock.now < deadline else { throw TestFailure("process \(pid) is still running") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A version-1 NPY file with the given header fields and `bytes` bytes of zeros after the
/// header, written sparse (only the header takes disk space).
private func sparseNPY(at url: URL, descr: String, shape: String, bytes: Int) throws -> URL {
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
    data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
    data.append(Data(header.utf8))
    try data.write(to: url)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(data.count + bytes))
    return url
}
