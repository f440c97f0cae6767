import Foundation
import GroveService
import GroveTestSupport
import Testing

extension GroveCLITests {
    /// The real daemon's `GET /metrics` after a job, a prediction (whose rows fill a window of
    /// the watch) and error answers: every family with its HELP and TYPE, and accepted by
    /// Prometheus' own checker when it is installed.
    @Suite struct Metrics {
        @Test func everyExportedFamilyHasHelpAndType() async throws {
            let text = try await Self.scrapeAfterTraffic()
            let exposition = MetricsExposition(text)
            #expect(exposition.problems.isEmpty, "\(exposition.problems)\n\(text)")
            let expected = [
                #"grove_http_requests_total{method="POST",route="/v1/models/{model}/predict",status="200"} 1"#,
                #"grove_http_requests_total{method="GET",route="/v1/jobs/{id}",status="404"} 1"#,
                #"grove_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
                #"grove_http_request_duration_seconds_count{method="POST",route="/v1/models/{model}/predict"} 1"#,
                #"grove_jobs{model="default",state="succeeded"} 1.0"#,
                #"grove_jobs_finished_total{model="default",state="succeeded"} 1"#,
                #"grove_phase_duration_seconds_count{model="default"} 1"#,
                #"grove_experts{model="default"} 1.0"#,
                #"grove_domains{model="default"} 1.0"#,
                #"grove_domain_accuracy_ratio{model="default",domain="zero"} "#,
                #"grove_drift_windows_total{model="default"} 1"#,
                #"grove_drift_window_p_value{model="default"} "#,
                #"grove_drift_window_median_novelty{model="default"} "#,
                #"grove_drift_windows_waiting{model="default"} "#,
            ]
            for line in expected {
                #expect(text.contains(line), "\(line)\n\(text)")
            }
        }

        @Test(.enabled(if: Promtool.url != nil, "promtool is not installed (Debian package prometheus; .ci/install-deps installs it)"))
        func promtoolAcceptsTheMetrics() async throws {
            let text = try await Self.scrapeAfterTraffic()
            let check = try Promtool.checkMetrics(text)
            #expect(check.status == 0 && check.output.isEmpty, "promtool check metrics: exit \(check.status)\n\(check.output)\n\(text)")
        }

        /// Starts a daemon, learns a dataset, predicts its rows, asks for a job and a path that
        /// do not exist, waits until the watch has tested the predicted window, and returns the
        /// daemon's `/metrics`.
        static func scrapeAfterTraffic() async throws -> String {
            let root = try Fixtures.directory("metrics")
            defer { Fixtures.remove(root) }
            let daemon = try await DaemonProcess(home: root.appendingPathComponent("home"))
            defer { daemon.kill() }
            let file = try Fixtures.write(Fixtures.blobsCSV(domain: 0), to: root, name: "zero.csv")
            let submitted = try await runGrove(["submit", file.path, "--domain", "zero", "--wait"] + daemon.cliOptions)
            #expect(submitted.status == 0, "\(submitted)")
            let predicted = try await runGrove(["predict", file.path, "--batch", "300"] + daemon.cliOptions)
            #expect(predicted.status == 0, "\(predicted)")
            let client = try daemon.client()
            await #expect(throws: ClientError.self) { try await client.job(id: 999) }
            await #expect(throws: ClientError.self) { try await client.raw("/v2/nothing") }
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                let text = String(decoding: try await client.raw("/metrics"), as: UTF8.self)
                if text.contains("grove_drift_windows_total") || ContinuousClock.now > deadline { return text }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}

/// Prometheus' `promtool`, found on `PATH`.
enum Promtool {
    /// The executable, `nil` when none is on `PATH`.
    static let url: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent("promtool") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// Runs `promtool check metrics` on `text`; returns its exit status and its output (standard
    /// output and error together: the problems it found).
    static func checkMetrics(_ text: String) throws -> (status: Int32, output: String) {
        guard let url else { throw TestFailure("promtool is not on PATH") }
        let process = Process()
        process.executableURL = url
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: printed, as: UTF8.self))
    }
}
