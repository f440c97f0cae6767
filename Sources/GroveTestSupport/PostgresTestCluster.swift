import Foundation

/// A throwaway PostgreSQL server for tests: `initdb` in a temporary directory, started on a
/// free loopback port, once per test process. Each test asks it for a fresh database.
///
/// The server runs as an unprivileged user when the tests run as root (`initdb` refuses
/// root): the `postgres` account Debian's package creates, else `nobody`. A watchdog shell
/// stops it and deletes its directory when the test process exits, however it exits.
/// Binaries come from `GROVE_POSTGRES_BIN`, else the newest `/usr/lib/postgresql/*/bin`,
/// else the `PATH`; `.ci/install-deps` installs them.
public final class PostgresTestCluster: Sendable {
    /// The superuser that tests connect as (trust authentication on loopback).
    public static let user = "grove"

    /// The cluster of this test process, started on first use.
    /// - Throws: `PostgresTestClusterError` when PostgreSQL is not installed or does not start.
    public static func shared() throws -> PostgresTestCluster {
        try startOnce.result.get()
    }

    /// The TCP port the server listens on (127.0.0.1).
    public let port: Int
    private let binaries: URL
    private let runAs: String?
    private let counter = DatabaseCounter()

    private static let startOnce = StartOnce()

    private init(port: Int, binaries: URL, runAs: String?) {
        self.port = port
        self.binaries = binaries
        self.runAs = runAs
    }

    /// Creates an empty database and returns its `postgres://` URL.
    public func makeDatabase() throws -> String {
        let name = "grove_test_\(counter.next())"
        try Self.run(binaries.appendingPathComponent("createdb"), ["-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user, name], as: nil)
        return url(database: name)
    }

    /// Runs `psql` on the database at `url` (unaligned, tuples only, stopping at the first
    /// error) with `arguments` such as `["-c", sql]` or `["-f", path]`; returns its output.
    @discardableResult
    public func psql(_ url: String, _ arguments: [String]) throws -> String {
        try Self.run(binaries.appendingPathComponent("psql"), ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url] + arguments, as: nil)
    }

    /// The URL of database `name` on this server.
    public func url(database name: String) -> String {
        "postgres://\(Self.user)@127.0.0.1:\(port)/\(name)"
    }

    // MARK: - Starting

    private final class StartOnce: Sendable {
        let result: Result<PostgresTestCluster, PostgresTestClusterError>
        init() {
            do {
                result = .success(try PostgresTestCluster.start())
            } catch let error as PostgresTestClusterError {
                result = .failure(error)
            } catch {
                result = .failure(PostgresTestClusterError(message: "\(error)"))
            }
        }
    }

    private static func start() throws -> PostgresTestCluster {
        let binaries = try findBinaries()
        let runAs: String? = getuid() == 0 ? (userExists("postgres") ? "postgres" : "nobody") : nil
        let directory = URL(filePath: NSTemporaryDirectory()).appendingPathComponent("grove-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let runAs {
            try run(URL(filePath: "/bin/chown"), ["-R", runAs, directory.path], as: nil)
        }
        let data = directory.appendingPathComponent("data").path
        try run(binaries.appendingPathComponent("initdb"),
                ["-D", data, "-U", user, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], as: runAs)
        let port = try freePort()
        // Durability settings off: the tests kill clients, never the server.
        let server = [binaries.appendingPathComponent("postgres").path, "-D", data, "-p", "\(port)", "-k", directory.path,
                      "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                      "-c", "full_page_writes=off", "-c", "max_connections=400", "-c", "shared_buffers=64MB"]
            .map(shellQuoted).joined(separator: " ")
        let watchdog = """
            \(server) >\(shellQuoted(directory.path))/server.log 2>&1 &
            server=$!
            while [ -d /proc/\(getpid()) ] && kill -0 $server 2>/dev/null; do sleep 1; done
            kill -INT $server 2>/dev/null; wait $server
            rm -rf \(shellQuoted(directory.path))
            """
        let process = Process()
        process.executableURL = URL(filePath: "/bin/sh")
        process.arguments = runAs.map { ["-c", "exec su -s /bin/sh \($0) -c \(shellQuoted(watchdog))"] } ?? ["-c", watchdog]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let cluster = PostgresTestCluster(port: port, binaries: binaries, runAs: runAs)
        for _ in 0..<300 {
            if (try? run(binaries.appendingPathComponent("pg_isready"), ["-q", "-h", "127.0.0.1", "-p", "\(port)"], as: nil)) != nil {
                return cluster
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
        throw PostgresTestClusterError(message: "the test server did not start on port \(port): \(log.suffix(400))")
    }

    private static func findBinaries() throws -> URL {
        let fileManager = FileManager.default
        if let configured = ProcessInfo.processInfo.environment["GROVE_POSTGRES_BIN"] {
            return URL(filePath: configured, directoryHint: .isDirectory)
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? fileManager.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        if let newest = versions.last {
            return URL(filePath: "\(root)/\(newest)/bin", directoryHint: .isDirectory)
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where fileManager.isExecutableFile(atPath: "\(directory)/initdb") {
            return URL(filePath: String(directory), directoryHint: .isDirectory)
        }
        throw PostgresTestClusterError(message: "PostgreSQL is not installed (no initdb): run .ci/install-deps, or set GROVE_POSTGRES_BIN")
    }

    private static func userExists(_ name: String) -> Bool {
        getpwnam(name) != nil
    }

    /// A port nothing listens on now: bound once by the kernel's choice, then released.
    private static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw PostgresTestClusterError(message: "socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw PostgresTestClusterError(message: "no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @discardableResult
    private static func run(_ executable: URL, _ arguments: [String], as user: String?) throws -> String {
        let process = Process()
        let pipe = Pipe()
        if let user {
            process.executableURL = URL(filePath: "/bin/su")
            let command = ([executable.path] + arguments).map(shellQuoted).joined(separator: " ")
            process.arguments = ["-s", "/bin/sh", user, "-c", command]
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresTestClusterError(message: "\(executable.lastPathComponent) failed: \(output.suffix(400))")
        }
        return output
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Why the throwaway PostgreSQL server is unavailable.
public struct PostgresTestClusterError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    public var description: String { message }
}

/// Numbers databases within one test process.
private final class DatabaseCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
