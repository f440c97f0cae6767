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
        ])
        func badStreamSettingsAreRefused(arguments: [String], message: String) async throws {
            let result = try await runGrove(["bench"] + arguments)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains(message), "\(result)")
        }
    }
}
