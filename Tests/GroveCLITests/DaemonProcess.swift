import Foundation
import GroveService

/// A real `grove daemon` child on a free local port with its own home. Stop it with
/// ``terminate()`` (SIGTERM) or ``kill()`` (SIGKILL); `deinit` kills a child still running.
final class DaemonProcess: @unchecked Sendable {
    let home: URL
    let port: Int
    let tokenFile: URL?
    let log: URL
    private let process = Process()

    /// The daemon's address.
    var server: String { "http://127.0.0.1:\(port)" }

    /// Starts a daemon on `home` (with `arguments` added to its command line) and waits until
    /// `/healthz` answers.
    init(home: URL, tokenFile: URL? = nil, arguments: [String] = [], logName: String = "daemon.log") async throws {
        guard let binary = GroveBinary.url else { throw TestFailure("no grove executable next to the tests") }
        self.home = home
        self.tokenFile = tokenFile
        port = try freePort()
        log = home.deletingLastPathComponent().appendingPathComponent(logName)
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.executableURL = binary
        process.arguments = ["daemon", "--home", home.path, "--listen", "127.0.0.1:\(port)", "--log-level", "debug"]
            + (tokenFile.map { ["--token-file", $0.path] } ?? []) + arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let client = try GroveClient(server: server, timeout: 2)
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            if (try? await client.health()) == true { return }
            guard process.isRunning else { throw TestFailure("the daemon exited with \(process.terminationStatus):\n\(logText)") }
            guard ContinuousClock.now < deadline else { kill(); throw TestFailure("the daemon did not answer /healthz within 30 s:\n\(logText)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    deinit { kill() }

    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }
    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// The process id of the phase child the daemon started last, from its log.
    var lastPhasePID: Int32? {
        logText.split(separator: "\n").reversed().lazy.compactMap { line -> Int32? in
            guard let range = line.range(of: "phase.pid=") else { return nil }
            return Int32(line[range.upperBound...].prefix { $0.isNumber })
        }.first
    }

    /// A client of this daemon (with its token, if it has one).
    func client(token: String? = nil) throws -> GroveClient {
        try GroveClient(server: server, token: token, timeout: 60)
    }

    /// Common CLI options for this daemon.
    var cliOptions: [String] { ["--server", server] + (tokenFile.map { ["--token-file", $0.path] } ?? []) }

    /// Sends SIGTERM and waits for the exit; returns the exit status and how long it took.
    @discardableResult
    func terminate(timeout: Duration = .seconds(20)) async throws -> (status: Int32, elapsed: Duration) {
        let start = ContinuousClock.now
        Foundation.kill(process.processIdentifier, SIGTERM)
        while process.isRunning {
            guard ContinuousClock.now - start < timeout else { kill(); throw TestFailure("the daemon ignored SIGTERM for \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return (process.terminationStatus, ContinuousClock.now - start)
    }

    /// Sends SIGKILL (when still running) and reaps the child.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// A TCP port nobody listens on right now (bound to port 0, then released).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TestFailure("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
