import Foundation

/// Where the `grove` executable under test is: `$GROVE_BINARY`, else next to the test bundle in
/// the build products directory (`swift build --build-tests` builds every product there).
enum GroveBinary {
    static let url: URL? = {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["GROVE_BINARY"], fm.isExecutableFile(atPath: explicit) {
            return URL(fileURLWithPath: explicit)
        }
        var starts = [URL(fileURLWithPath: CommandLine.arguments.first ?? ""), Bundle.main.bundleURL]
        starts += Bundle.allBundles.map(\.bundleURL)
        for start in starts {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("grove")
                var isDirectory: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue, fm.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }()
}

/// The result of one `grove` run.
struct CLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output's lines.
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs `grove` with `arguments` and returns its exit status and outputs (files, not pipes,
/// so that a large output never blocks the child). `environment` is added to this process's
/// environment after the variables named in `removing` are taken out of it. `executable`
/// runs instead of `grove` when given (an emulator whose arguments name `grove`); `directory`
/// is its working directory (default: this process's).
func runGrove(_ arguments: [String], environment: [String: String] = [:], removing: [String] = [],
              executable: URL? = nil, directory: URL? = nil, timeout: Duration = .seconds(90)) async throws -> CLIResult {
    guard let binary = executable ?? GroveBinary.url else { throw TestFailure("no grove executable next to the tests; run `swift build` first or set GROVE_BINARY") }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grove-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env["GROVE_SERVER"] = nil
    env["GROVE_TOKEN"] = nil
    for name in removing { env[name] = nil }
    env.merge(environment) { _, new in new }
    process.environment = env
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        guard ContinuousClock.now < deadline else { throw TestFailure("grove \(arguments.joined(separator: " ")) did not end within \(timeout)") }
        try await Task.sleep(for: .milliseconds(20))
    }
    return CLIResult(status: process.terminationStatus,
                     stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                     stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
}

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
