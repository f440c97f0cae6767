import Foundation
import Testing

extension GroveCLITests {
    /// `grove bench`'s options. A stream run itself takes minutes in a debug build with the
    /// default learner settings; GroveServiceTests' StreamBenchTests runs a tiny one.
    @Suite struct BenchCLI {
        @Test func streamOptionsWithoutAStreamAreRefusedBeforeAnythingRuns() async throws {
            let result = try await runGrove(["bench", "--domains", "3", "--json"])
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains("need --stream permuted"))
            #expect(result.stdout.isEmpty)
        }

        @Test(arguments: [
            (["--stream", "rotated", "--domains", "3"], "unknown stream 'rotated'"),
            (["--stream", "permuted"], "--stream needs --domains N"),
            (["--stream", "permuted", "--domains", "0"], "--stream needs --domains N"),
            (["--stream", "permuted", "--domains", "2", "--samples", "0"], "--samples must be in 1...60000"),
            (["--stream", "permuted", "--domains", "2", "--test-samples", "10001"], "--test-samples must be in 1...10000"),
            (["--stream", "permuted", "--domains", "2", "--quick"], "--quick applies to the engine figures"),
            (["--watch-cpu", "0.5"], "--watch-cpu and --unwatched-baseline apply to --watch HOME"),
            (["--unwatched-baseline"], "--watch-cpu and --unwatched-baseline apply to --watch HOME"),
            (["--watch", "/nonexistent", "--watch-cpu", "0"], "--watch-cpu must be in 0.01...1"),
            (["--watch", "/nonexistent", "--watch-cpu", "1.5"], "--watch-cpu must be in 0.01...1"),
        ])
        func badStreamSettingsAreRefused(arguments: [String], message: String) async throws {
            let result = try await runGrove(["bench"] + arguments)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains(message), "\(result)")
        }

        /// A settings file that cannot be read or names an unknown field stops the run before
        /// it writes any data, with one line naming the file (and the field).
        @Test func aBadSettingsFileIsRefusedWithOneLineNamingIt() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grove-settings-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let unknown = directory.appendingPathComponent("unknown.json")
            try Data(#"{"gateStep": 5}"#.utf8).write(to: unknown)
            let missing = directory.appendingPathComponent("missing.json").path
            for (path, message) in [(unknown.path, "\(unknown.path): unknown field 'gateStep'"), (missing, "\(missing): cannot be read")] {
                let result = try await runGrove(["bench", "--stream", "permuted", "--domains", "2", "--settings", path])
                #expect(result.status == 1, "\(result)")
                #expect(result.stderr.hasPrefix("error: \(message)"), "\(result)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
                let demo = try await runGrove(["demo", "--quick", "--settings", path])
                #expect(demo.status == 1, "\(demo)")
                #expect(demo.stderr.hasPrefix("error: \(message)"), "\(demo)")
            }
        }
    }
}
