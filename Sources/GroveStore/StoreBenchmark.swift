import Foundation

/// Performance figures of a store backend (never asserted in tests).
///
/// Three workloads, each in a fresh store that the caller opens:
/// - submissions: ``Options/submissions`` datasets queued one after another by one client,
///   then as many by 8 concurrent clients; a submission counts once `enqueue` has returned
///   (it is then durable);
/// - phase commit: 8 experts of 784 -> 256 -> 10 (Float32, 203 530 parameters = 814 KB each)
///   and 50 evaluation rows, median of ``Options/commits`` commits;
/// - queries on a store of 1 000 experts (a seeded random tree, each parent among the 16 most
///   recent experts) and 100 000 evaluation rows over 125 versions and 125 domains: lineage
///   both ways, the accuracy matrix, a domain's history, the latest version, median of
///   ``Options/repetitions`` runs. The target is under 20 ms per query.
///
/// Keys of the result (milliseconds unless named otherwise): `store_submissions_per_s`,
/// `store_submissions_per_s_8_clients`, `store_phase_commit_ms`,
/// `store_phase_commit_mb_per_s`, `store_bulk_setup_s`, `store_ancestors_ms`,
/// `store_descendants_ms`, `store_accuracy_matrix_ms`, `store_evaluation_history_ms`,
/// `store_latest_version_ms`, `store_experts`, `store_evaluations`, `store_lineage_depth`.
public enum StoreBenchmark {
    /// How much work to do.
    public struct Options: Sendable {
        /// Phase commits to time (the median is reported). Default 5.
        public var commits = 5
        /// Runs of each query (the median is reported). Default 20.
        public var repetitions = 20
        /// Seed of the random weights and lineage tree. Default 42.
        public var seed: UInt64 = 42
        /// Datasets queued by each submission workload. Default 400.
        public var submissions = 400
        /// The default options.
        public init() {}
    }

    /// Runs every workload in SQLite stores under `directory` (created, then removed).
    public static func run(at directory: URL, options: Options = Options()) async throws -> [String: Double] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await run(options: options) { workload in
            try SQLiteStore.open(home: directory.appendingPathComponent(workload))
        }
    }

    /// Runs every workload, each in the empty store `open` returns for its name.
    public static func run(options: Options = Options(), open: (String) async throws -> any Store) async throws -> [String: Double] {
        var random = BenchRandom(seed: options.seed)
        var results = try await submissionWorkload(store: try await open("submissions"), options)
        results.merge(try await commitWorkload(store: try await open("commit"), options, &random)) { first, _ in first }
        results.merge(try await queryWorkload(store: try await open("queries"), options, &random)) { first, _ in first }
        return results
    }

    // MARK: - Workloads

    private static func submissionWorkload(store: any Store, _ options: Options) async throws -> [String: Double] {
        let count = max(1, options.submissions)
        let one = try await milliseconds {
            for n in 0..<count {
                _ = try await store.enqueue(JobRequest(datasetSHA256: sha256(n), source: "bench-\(n)"))
            }
        }
        let clients = 8
        let eight = try await milliseconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        for n in stride(from: count + client, to: 2 * count, by: clients) {
                            _ = try await store.enqueue(JobRequest(model: "m\(client)", datasetSHA256: sha256(n), source: "bench-\(n)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        return [
            "store_submissions_per_s": Double(count) / (one / 1000),
            "store_submissions_per_s_8_clients": Double(count) / (eight / 1000),
        ]
    }

    private static func commitWorkload(store: any Store, _ options: Options, _ random: inout BenchRandom) async throws -> [String: Double] {
        let parameters = 784 * 256 + 256 + 256 * 10 + 10
        var times: [Double] = []
        for phase in 0..<max(1, options.commits) {
            let job = try await claim(store, n: phase)
            let experts = (0..<8).map { index in
                PhaseCommit.Expert(
                    hiddenDimension: 256, classes: Array(0..<10), weights: random.bytes(parameters * 4),
                    checksum: "bench-\(phase)-\(index)")
            }
            // The phase's domain's accuracy, loss and routing, and each new expert's load share.
            let evaluations = [EvaluationMetric.accuracy, .loss, .routingAccuracy].map {
                PhaseCommit.Evaluation(domain: "d\(phase)", metric: $0, value: 0.5, sampleCount: 1000)
            } + experts.indices.map {
                PhaseCommit.Evaluation(domain: "d\(phase)", metric: .loadShare, expert: .new($0), value: 0.125, sampleCount: 1000)
            }
            let commit = phaseCommit(job: job, domain: "d\(phase)", experts: experts, evaluations: evaluations, random: &random)
            times.append(try await milliseconds { _ = try await store.commitPhase(commit) })
        }
        let median = median(times)
        return [
            "store_phase_commit_ms": median,
            "store_phase_commit_mb_per_s": Double(8 * parameters * 4) / 1e6 / (median / 1000),
        ]
    }

    private static func queryWorkload(store: any Store, _ options: Options, _ random: inout BenchRandom) async throws -> [String: Double] {
        let versions = 125, expertsPerVersion = 8
        var expertIDs: [Int64] = []
        var evaluationRows = 0
        let setup = try await milliseconds {
            for version in 0..<versions {
                let job = try await claim(store, n: version)
                let experts = (0..<expertsPerVersion).map { index in
                    let recent = expertIDs.suffix(16)
                    let parent: ExpertReference? = recent.isEmpty && index == 0 ? nil
                        : index > 0 && random.next() % 4 == 0 ? .new(Int(random.next() % UInt64(index)))
                        : recent.isEmpty ? .new(index - 1) : .stored(recent[recent.startIndex + Int(random.next() % UInt64(recent.count))])
                    return PhaseCommit.Expert(parent: parent, hiddenDimension: 8, classes: [0, 1], weights: random.bytes(64), checksum: "c")
                }
                // What a phase writes: every domain's accuracy, loss and routing, and the load
                // share of each of the domain's own experts (11 rows a domain).
                var evaluations: [PhaseCommit.Evaluation] = []
                for domain in 0...version {
                    for metric in [EvaluationMetric.accuracy, .loss, .routingAccuracy] {
                        evaluations.append(.init(domain: "d\(domain)", metric: metric, value: random.unit(), sampleCount: 1000))
                    }
                    for index in 0..<expertsPerVersion {
                        let expert: ExpertReference = domain == version ? .new(index) : .stored(expertIDs[domain * expertsPerVersion + index])
                        evaluations.append(.init(domain: "d\(domain)", metric: .loadShare, expert: expert,
                                                 value: 1 / Double(expertsPerVersion), sampleCount: 1000))
                    }
                }
                evaluationRows += evaluations.count
                let commit = phaseCommit(job: job, domain: "d\(version)", experts: experts, evaluations: evaluations, random: &random)
                expertIDs += try await store.commitPhase(commit).expertIDs
            }
        }
        guard let root = expertIDs.first, let leaf = expertIDs.last else { return [:] }
        let reps = max(1, options.repetitions)
        var depth = 0
        let ancestors = try await median(reps) { depth = try await store.ancestors(ofExpert: leaf).count }
        let descendants = try await median(reps) { _ = try await store.descendants(ofExpert: root) }
        let matrix = try await median(reps) { _ = try await store.accuracyMatrix(model: "default") }
        let history = try await median(reps) { _ = try await store.evaluationHistory(model: "default", domain: "d0", metric: .accuracy) }
        let latest = try await median(reps) { _ = try await store.latestModelVersion(model: "default") }
        return [
            "store_bulk_setup_s": setup / 1000,
            "store_ancestors_ms": ancestors,
            "store_descendants_ms": descendants,
            "store_accuracy_matrix_ms": matrix,
            "store_evaluation_history_ms": history,
            "store_latest_version_ms": latest,
            "store_experts": Double(expertIDs.count),
            "store_evaluations": Double(evaluationRows),
            "store_lineage_depth": Double(depth),
        ]
    }

    // MARK: - Helpers

    private static func sha256(_ n: Int) -> String {
        String(repeating: "b", count: 48) + String(format: "%016x", n)
    }

    private static func claim(_ store: any Store, n: Int) async throws -> JobRecord {
        _ = try await store.enqueue(JobRequest(datasetSHA256: sha256(n), source: "bench-\(n)"))
        guard let job = try await store.claimNextJob() else {
            throw StoreError.invalidArgument("benchmark job \(n) could not be claimed")
        }
        return job
    }

    private static func phaseCommit(
        job: JobRecord, domain: String, experts: [PhaseCommit.Expert], evaluations: [PhaseCommit.Evaluation],
        random: inout BenchRandom
    ) -> PhaseCommit {
        PhaseCommit(
            jobID: job.id, inputDimension: 784, labels: (0..<10).map(String.init),
            domain: .init(name: domain, signature: random.bytes(4096)),
            dataset: .init(format: "idx", featureCount: 784, classCount: 10, trainCount: 850, testCount: 150,
                           splitSeed: random.next(), heldOut: random.bytes(150 * 784)),
            detection: .init(decision: .new, statistic: 0.3, pValue: 0.01),
            gate: .init(parameters: random.bytes(784 * 4 * 8), topK: 2),
            experts: experts, evaluations: evaluations,
            replay: [.init(domain: domain, samples: random.bytes(500 * 784), sampleCount: 500)],
            events: [.init(kind: .phase, message: "benchmark phase")])
    }

    private static func milliseconds(_ body: () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    private static func median(_ repetitions: Int, _ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<repetitions {
            times.append(try await milliseconds(body))
        }
        return median(times)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014) for the benchmark's data.
struct BenchRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func bytes(_ count: Int) -> Data {
        var words = [UInt64](repeating: 0, count: (count + 7) / 8)
        for index in words.indices { words[index] = next() }
        return words.withUnsafeBytes { Data($0.prefix(count)) }
    }
}
