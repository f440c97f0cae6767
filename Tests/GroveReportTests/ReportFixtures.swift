import Foundation
import GroveData
import GroveLearning
import GroveNumerics
import GroveTestSupport
@testable import GroveReport

/// Reports and learners the tests share.
enum ReportFixtures {
    /// A fixed, hand-built report: three domains over four phases; the fourth phase brings more
    /// data of `tops`, which grows a child expert. Goldens are rendered from it.
    static let small: Report = {
        func detection(_ decision: String, _ nearest: String?, _ statistic: Double?, _ p: Double?, _ evidence: [ReportEvidence]) -> ReportDetection {
            ReportDetection(decision: decision, nearestDomain: nearest, statistic: statistic, pValue: p, significance: 0.05, evidence: evidence)
        }
        let d0 = detection("new", nil, nil, nil, [])
        let d1 = detection("new", "tops", 0.0412, 0.0, [ReportEvidence(domain: "tops", statistic: 0.0412, pValue: 0.0)])
        let d2 = detection("new", "bottoms", 0.0377, 0.0, [
            ReportEvidence(domain: "tops", statistic: 0.0581, pValue: 0.0),
            ReportEvidence(domain: "bottoms", statistic: 0.0377, pValue: 0.0),
        ])
        let d3 = detection("known", "tops", 0.00021, 0.43, [
            ReportEvidence(domain: "tops", statistic: 0.00021, pValue: 0.43),
            ReportEvidence(domain: "bottoms", statistic: 0.0402, pValue: 0.0),
            ReportEvidence(domain: "shoes", statistic: 0.0655, pValue: 0.0),
        ])
        let matrix: [[Double?]] = [
            [0.981, nil, nil],
            [0.962, 0.944, nil],
            [0.955, 0.931, 0.992],
            [0.978, 0.902, 0.990],
        ]
        let names = ["tops", "bottoms", "shoes"]
        func row(_ i: Int) -> [String: Double] {
            var out: [String: Double] = [:]
            for (j, v) in matrix[i].enumerated() { if let v { out[names[j]] = v } }
            return out
        }
        let routing: [[String: Double]] = [
            ["tops": 1.0],
            ["tops": 0.97, "bottoms": 0.95],
            ["tops": 0.96, "bottoms": 0.93, "shoes": 0.99],
            ["tops": 0.98, "bottoms": 0.91, "shoes": 0.99],
        ]
        let phases = [
            ReportPhase(index: 0, job: 11, domain: "tops", declaredDomain: "tops", detection: d0, grown: [0], trainSamples: 10_200,
                        accuracy: row(0), routingAccuracy: routing[0], timings: ReportTimings(total: 1.52)),
            ReportPhase(index: 1, job: 12, domain: "bottoms", declaredDomain: "bottoms", detection: d1, grown: [1], trainSamples: 10_200,
                        accuracy: row(1), routingAccuracy: routing[1], timings: ReportTimings(total: 1.87)),
            ReportPhase(index: 2, job: 13, domain: "shoes", detection: d2, grown: [2], trainSamples: 10_200,
                        accuracy: row(2), routingAccuracy: routing[2], timings: ReportTimings(total: 2.04)),
            ReportPhase(index: 3, domain: "tops", detection: d3, grown: [3], trainSamples: 5_000,
                        accuracy: row(3), routingAccuracy: routing[3], timings: ReportTimings(total: 1.33)),
        ]
        let domains = [
            ReportDomain(name: "tops", firstPhase: 0, samples: 2_700, experts: [0, 3], classes: [0, 1], accuracy: 0.978,
                         bestAccuracy: 0.981, bestPhase: 0, drop: 0.003, routingAccuracy: 0.98, loss: 0.071, detection: d0),
            ReportDomain(name: "bottoms", firstPhase: 1, samples: 1_800, experts: [1], classes: [2, 3], accuracy: 0.902,
                         bestAccuracy: 0.944, bestPhase: 1, drop: 0.042, routingAccuracy: 0.91, loss: 0.284, detection: d1),
            ReportDomain(name: "shoes", firstPhase: 2, samples: 1_800, experts: [2], classes: [4, 5], accuracy: 0.990,
                         bestAccuracy: 0.992, bestPhase: 2, drop: 0.002, routingAccuracy: 0.99, loss: 0.031, detection: d2),
        ]
        let experts = [
            ReportExpert(id: 0, parent: nil, domain: "tops", createdPhase: 0, frozen: true, parameters: 203_530, hidden: 256,
                         classes: [0, 1], load: ["tops": 0.61, "bottoms": 0.04]),
            ReportExpert(id: 1, parent: 0, domain: "bottoms", createdPhase: 1, frozen: true, parameters: 201_474, hidden: 256,
                         classes: [2, 3], load: ["bottoms": 0.88, "tops": 0.02]),
            ReportExpert(id: 2, parent: 1, domain: "shoes", createdPhase: 2, frozen: true, parameters: 201_474, hidden: 256,
                         classes: [4, 5], load: ["shoes": 0.97, "bottoms": 0.08]),
            ReportExpert(id: 3, parent: 0, domain: "tops", createdPhase: 3, frozen: true, parameters: 201_474, hidden: 256,
                         classes: [0, 1], load: ["tops": 0.37, "shoes": 0.03]),
        ]
        let metrics = ReportMetrics(lastPhase: 3, averageAccuracy: (0.978 + 0.902 + 0.990) / 3, averageForgetting: (0.003 + 0.042) / 2,
                                    backwardTransfer: (-0.003 - 0.042) / 2, forwardTransfer: nil)
        return Report(model: "default", generatedAt: "2025-01-31T12:00:00Z", phases: phases, domains: domains,
                      experts: experts, metrics: metrics, accuracyMatrix: matrix)
    }()

    /// A synthetic report of `domains` domains over `phases` phases (one new domain per phase
    /// while domains last, then more data of known ones), each expert the child of the one before.
    /// ``small`` with a drift timeline: four windows that fit, three that do not, the second
    /// of which raised an event.
    static let drifting: Report = {
        var report = small
        let fits = [true, true, true, true, false, false, false]
        report.drift = ReportDrift(
            windows: fits.enumerated().map { i, fit in
                ReportDrift.Window(id: Int64(i + 1), testedAt: "2025-01-31T12:0\(i):00Z", version: 2, rows: 256,
                                   pValue: fit ? 0.4 : 0.005, fits: fit, nearestDomain: "tops", medianNovelty: fit ? 0.7 : 2.5)
            },
            events: [ReportDrift.Event(id: 1, detectedAt: "2025-01-31T12:05:00Z", version: 2, firstWindow: 5, lastWindow: 6,
                                       rows: 768, nearestDomain: "tops", pValue: 0.005)])
        return report
    }()

    /// ``small`` after a rollback to its first version: a phase that learned nothing, its
    /// accuracies the first version's.
    static let rolledBack: Report = {
        var report = small
        var rollback = report.phases[0]
        rollback.index = report.phases.count
        rollback.job = nil
        rollback.grown = []
        rollback.trainSamples = 0
        rollback.rolledBackTo = 1
        rollback.detection = ReportDetection(decision: "rollback", significance: rollback.detection.significance)
        report.phases.append(rollback)
        report.accuracyMatrix.append(report.accuracyMatrix[0])
        return report
    }()

    static func synthetic(domains: Int, phases: Int, nameLength: Int = 10) -> Report {
        var rng = SeededRNG(seed: 42)
        let names = (0..<domains).map { j in "d\(j)-" + String(repeating: "x", count: max(0, nameLength - 3)) }
        var matrix: [[Double?]] = []
        var phaseList: [ReportPhase] = []
        for i in 0..<phases {
            let row: [Double?] = (0..<domains).map { j in j <= i ? Double(0.6 + 0.4 * Double(rng.nextUnitFloat())) : nil }
            matrix.append(row)
            let domain = names[i % domains]
            let evidence = names.prefix(min(i, domains)).map { ReportEvidence(domain: $0, statistic: 0.01, pValue: 0.001) }
            let detection = ReportDetection(decision: i < domains ? "new" : "known", nearestDomain: i == 0 ? nil : names[(i - 1) % domains],
                                            statistic: i == 0 ? nil : 0.01, pValue: i == 0 ? nil : 0.001, significance: 0.05, evidence: evidence)
            var accuracy: [String: Double] = [:]
            for (j, v) in row.enumerated() { if let v { accuracy[names[j]] = v } }
            phaseList.append(ReportPhase(index: i, domain: domain, detection: detection, grown: [i], trainSamples: 1000,
                                         accuracy: accuracy, routingAccuracy: accuracy))
        }
        let last = matrix.last ?? []
        let domainList = names.enumerated().map { j, name in
            let column = matrix.compactMap { $0[j] }
            return ReportDomain(name: name, firstPhase: j, samples: 300, experts: [j], classes: [j], accuracy: last[j],
                                bestAccuracy: column.max(), bestPhase: nil, drop: column.max().flatMap { b in last[j].map { b - $0 } },
                                routingAccuracy: last[j], detection: phaseList[min(j, phases - 1)].detection)
        }
        let experts = (0..<phases).map { i in
            ReportExpert(id: i, parent: i == 0 ? nil : i - 1, domain: names[i % domains], createdPhase: i, frozen: true,
                         parameters: 200_000, hidden: 256, classes: [i % domains], load: [names[i % domains]: 0.5])
        }
        return Report(model: "synthetic", generatedAt: "2025-01-31T12:00:00Z", phases: phaseList, domains: domainList,
                      experts: experts, metrics: ReportMetrics(lastPhase: phases - 1, averageAccuracy: 0.8, averageForgetting: 0.05, backwardTransfer: -0.05),
                      accuracyMatrix: matrix)
    }

    // MARK: - A tiny seeded learner

    /// Three phases of small synthetic domains (two new regions, then more of the first), learned once.
    static let learner: Result<LifelongLearner, any Error> = Result {
        var learner = LifelongLearner(config: smallConfig())
        try learner.learn(train: blobs(classes: [0, 1], region: 1, rows: 300, seed: 1), test: nil, declaredDomain: "alpha")
        try learner.learn(train: blobs(classes: [2, 3], region: 2, rows: 300, seed: 2), test: nil, declaredDomain: "beta")
        try learner.learn(train: blobs(classes: [0, 1], region: 1, rows: 300, seed: 3), test: nil)
        return learner
    }

    static func smallConfig() -> LifelongConfig {
        .forTests(hidden: 16, expertEpochs: 3, gateSteps: 42, replayPerDomain: 100,
                  detectorSamples: 64, permutations: 100, batchSize: 32)
    }

    /// Gaussian blobs for `classes` in a region of a 20-dimensional input space set by `region`.
    static func blobs(classes: [Int32], region: UInt64, rows: Int, seed: UInt64) throws -> Dataset {
        let samples = SyntheticData.region(classes: classes, region: region, rows: rows, seed: seed)
        return try Dataset(features: samples.features, dimension: 20, labels: samples.labels, source: "region-\(region).csv")
    }

    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}
