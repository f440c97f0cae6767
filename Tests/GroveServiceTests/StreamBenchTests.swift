import Foundation
import GroveLearning
import GroveService
import GroveTestSupport
import Logging
import Testing

/// `grove bench --stream permuted`'s runner on a tiny stream of real Fashion-MNIST images.
@Suite struct StreamBenchTests {
    static let phaseKeys: Set<String> = [
        "phase", "domain", "detect_s", "experts_s", "gate_s", "gate_steps", "evaluate_s", "learn_s", "other_s", "commit_s", "wall_s",
        "rss_mb", "peak_rss_mb", "average_accuracy", "average_forgetting", "min_routing_accuracy",
    ]
    static let summaryKeys: Set<String> = [
        "total_s", "prepare_s", "mean_wall_s_domains_6_15", "mean_wall_s_last_10", "wall_ratio_last_10_to_6_15",
        "peak_rss_mb_10_domains", "peak_rss_mb_end", "peak_rss_ratio_end_to_10_domains", "final_average_accuracy",
        "final_average_forgetting", "final_min_routing_accuracy", "final_full_evaluation",
    ]
    static let settingsKeys: Set<String> = [
        "stream", "domains", "samples", "test_samples", "seed", "blas_core", "blas_threads", "peak_rss_reset",
    ]

    @Test func tinyPermutedStreamReportsEveryPhaseWithRealFigures() async throws {
        let config = LifelongConfig.forTests(
            hidden: 32, expertEpochs: 3, gateSteps: 20, replayPerDomain: 200, detectorSamples: 100, permutations: 20,
            batchSize: 32)
        let bench = StreamBench(domains: 3, samples: 300, testSamples: 100, seed: 4, config: config)
        var logger = Logger(label: "test.bench")
        logger.logLevel = .critical
        var seen: [Int] = []
        let report = try await bench.run(logger: logger) { seen.append($0.phase) }
        #expect(seen == [0, 1, 2])

        let json = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(object.keys) == ["settings", "phases", "summary"])
        let settings = try #require(object["settings"] as? [String: Any])
        #expect(Set(settings.keys) == Self.settingsKeys)
        #expect(settings["domains"] as? Int == 3 && settings["samples"] as? Int == 300 && settings["test_samples"] as? Int == 100)
        let phases = try #require(object["phases"] as? [[String: Any]])
        #expect(phases.count == 3)
        for phase in phases {
            #expect(Set(phase.keys) == Self.phaseKeys)
            #expect((phase["commit_s"] as? Double ?? 0) > 0, "the commit is timed")
        }
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(Set(summary.keys) == Self.summaryKeys)
        #expect(summary["peak_rss_mb_10_domains"] is NSNull)
        let full = try #require(summary["final_full_evaluation"] as? [String: Any])
        #expect(full["samples"] as? Int == 300, "every held-out row of the three domains")
        #expect((full["min_routing_accuracy"] as? Double).map { (0 ... 1).contains($0) } == true)

        #expect(Set(report.phases.map(\.domain)) == ["permuted-0", "permuted-1", "permuted-2"])
        for p in report.phases {
            #expect(p.wallSeconds > 0 && p.learnSeconds > 0 && p.expertsSeconds > 0 && p.gateSeconds > 0 && p.evaluateSeconds > 0)
            #expect(p.wallSeconds >= p.learnSeconds && p.otherSeconds > 0)
            #expect((p.commitSeconds ?? 0) > 0 && (p.commitSeconds ?? 0) < p.otherSeconds)
            #expect(abs(p.learnSeconds + p.otherSeconds - p.wallSeconds) < 1e-9)
            #expect((p.rssMB ?? 0) > 0 && (p.peakRSSMB ?? 0) >= (p.rssMB ?? 0))
            #expect((0 ... 1).contains(p.averageAccuracy) && (0 ... 1).contains(p.minRoutingAccuracy))
            // Forgetting is negative when old domains got better.
            #expect((-1 ... 1).contains(p.averageForgetting))
        }
        // Ten classes on 300 real images: far better than chance after the first phase.
        #expect(report.phases[0].averageAccuracy > 0.2)
        let s = report.summary
        #expect(s.totalSeconds >= report.phases.map(\.wallSeconds).reduce(0, +))
        #expect(s.meanWallLast10 == report.phases.map(\.wallSeconds).reduce(0, +) / 3)
        #expect(s.meanWallEarly == nil && s.wallRatio == nil)
        #expect(s.finalAverageAccuracy == report.phases.last?.averageAccuracy)
        #expect(try JSONDecoder().decode(StreamBenchReport.self, from: json) == report)
    }

    @Test func summaryComparesDomainsSixToFifteenWithTheLastTen() throws {
        let phases = try (0 ..< 30).map { i in
            try StreamBenchPhaseFixture.phase(i, wall: Double(i), peak: Double(100 + i))
        }
        let s = StreamBenchSummary(phases: phases, totalSeconds: 500, prepareSeconds: 1)
        // Domains 6–15 are phase indices 5–14; ten domains are learned after index 9.
        #expect(s.meanWallEarly == 9.5)
        #expect(s.meanWallLast10 == 24.5)
        #expect(s.wallRatio == 24.5 / 9.5)
        #expect(s.peakRSSPhase10 == 109 && s.peakRSSEnd == 129)
        #expect(s.peakRSSRatio == 129.0 / 109)
    }
}

/// Phase records decoded from JSON, as a reader of the benchmark's output sees them.
private enum StreamBenchPhaseFixture {
    static func phase(_ index: Int, wall: Double, peak: Double) throws -> StreamBenchPhase {
        let json = """
            {"phase": \(index), "domain": "permuted-\(index)", "detect_s": 0, "experts_s": 0, "gate_s": 0, "gate_steps": 0,
             "evaluate_s": 0, "learn_s": 0, "other_s": \(wall), "commit_s": null, "wall_s": \(wall), "rss_mb": \(peak),
             "peak_rss_mb": \(peak), "average_accuracy": 0.9, "average_forgetting": 0, "min_routing_accuracy": 1}
            """
        return try JSONDecoder().decode(StreamBenchPhase.self, from: Data(json.utf8))
    }
}
