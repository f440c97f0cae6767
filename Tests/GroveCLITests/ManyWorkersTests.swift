import Foundation
import GroveService
import GroveStore
import GroveStorePostgres
import GroveTestSupport
import Testing

extension GroveCLITests {
    /// Three `grove daemon` workers share one PostgreSQL store, through the real binaries:
    /// twelve jobs of three models, submitted to the three workers in turn (so each job's
    /// files start in one worker's home), one worker SIGKILLed in the middle of a phase.
    @Suite struct ManyWorkers {
        static let models = ["m0", "m1", "m2"]
        /// The job killed mid-phase: model m0's second, large enough to be caught running.
        static let killedJob: Int64 = 4

        @Test func threeWorkersRunEveryJobOnceInOrderAndServeNewVersionsWithinASecond() async throws {
            let cluster = try PostgresTestCluster.shared()
            let url = try cluster.makeDatabase()
            let root = try Fixtures.directory("workers")
            defer { Fixtures.remove(root) }
            var workers: [DaemonProcess] = []
            for index in 0..<3 {
                workers.append(try await DaemonProcess(home: root.appendingPathComponent("home-\(index)"),
                                                       arguments: ["--store", url, "--lease-seconds", "3"], logName: "worker-\(index).log"))
            }
            defer { for worker in workers { worker.kill() } }
            let store = try await PostgresStore.open(url: url)
            let watch = VersionWatch(workers: workers.map { try? $0.client() }, models: Self.models)
            let watching = Task { await watch.run() }

            for job in 1...12 {
                let model = Self.models[(job - 1) % 3], domain = (job - 1) / 3
                let rows = Int64(job) == Self.killedJob ? bigRows : 300
                let file = try Fixtures.write(Fixtures.blobsCSV(domain: domain, rows: rows), to: root, name: "\(model)-\(domain).csv")
                let worker = workers[(job - 1) % 3]
                let run = try await runGrove(["submit", file.path, "--model", model, "--domain", "d\(domain)"] + worker.cliOptions)
                #expect(run.lines == ["job \(job) queued: \(model)-\(domain).csv (domain d\(domain))"], "\(run)")
            }

            // Kill the worker running job 4, and its phase child, in the middle of the phase.
            let owner = try await Self.leaseOwner(of: Self.killedJob, in: store)
            let victim = try #require(workers.firstIndex { owner.contains(":\($0.pid):") }, "lease owner \(owner)")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await store.job(id: Self.killedJob)?.state == .running, "job 4 ended before the kill")
            let phasePID = workers[victim].lastPhasePID
            workers[victim].kill()
            if let phasePID { kill(phasePID, SIGKILL) }
            await watch.stopWatching(worker: victim)

            let jobs = try await Self.waitForAll(12, in: store)
            // The last commits are a fraction of a second old: let the watch see them served.
            let survivors = workers.indices.filter { $0 != victim }
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline, !(await watch.everyWorker(survivors, serves: 4, of: Self.models)) {
                try await Task.sleep(for: .milliseconds(50))
            }
            watching.cancel()
            #expect(jobs.allSatisfy { $0.state == .succeeded }, "\(jobs.map { "\($0.id): \($0.state) \($0.error ?? "")" })")
            #expect(jobs.map(\.attempts) == (1...12).map { $0 == Self.killedJob ? 2 : 1 }, "only the killed job ran twice")
            let requeued = try await store.events(jobID: Self.killedJob, limit: 20).map(\.message)
            #expect(requeued.contains { $0.hasPrefix("the lease of \(owner) ran out") }, "\(requeued)")
            #expect(survivors.contains { workers[$0].logText.contains("phase committed") && workers[$0].logText.contains("job.id=4") })

            // Exactly one version per job, each model's in submission order, none partial.
            var versionJobs: [Int64] = []
            for model in Self.models {
                let versions = try await store.modelVersions(model: model)
                #expect(versions.map(\.number) == [1, 2, 3, 4])
                let order = versions.compactMap(\.jobID)
                #expect(order == order.sorted() && order.count == 4, "\(model) committed jobs \(order)")
                versionJobs += order
                #expect(try await store.experts(model: model, version: nil).count == versions.last?.expertCount)
            }
            #expect(versionJobs.sorted() == Array(1...12))
            #expect(try await store.integrityCheck() == ["ok"])

            // Every worker alive at a commit served the new version within a second of it.
            var latencies: [Double] = []
            for model in Self.models {
                for version in try await store.modelVersions(model: model) {
                    for worker in survivors {
                        guard let seen = await watch.firstSeen(worker: worker, model: model, atLeast: version.number) else {
                            Issue.record("worker \(worker) never served \(model) version \(version.number)")
                            continue
                        }
                        latencies.append(seen.timeIntervalSince(version.createdAt))
                    }
                }
            }
            latencies.sort()
            print("new version served after commit (s): median \(latencies[latencies.count / 2]), max \(latencies.last ?? -1) over \(latencies.count)")
            #expect(latencies.count == 24 && (latencies.last ?? 9) < 1, "\(latencies)")
            await store.close()
            for worker in survivors { try await workers[worker].terminate() }
        }

        /// The worker that holds `job`'s lease, once the job runs.
        static func leaseOwner(of job: Int64, in store: PostgresStore) async throws -> String {
            let deadline = ContinuousClock.now + .seconds(240)
            while ContinuousClock.now < deadline {
                if let record = try await store.job(id: job), record.state == .running, let owner = record.leaseOwner {
                    return owner
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw TestFailure("job \(job) never ran")
        }

        static func waitForAll(_ count: Int, in store: PostgresStore) async throws -> [JobRecord] {
            let deadline = ContinuousClock.now + .seconds(300)
            while ContinuousClock.now < deadline {
                let jobs = try await store.jobs()
                if jobs.count == count, jobs.allSatisfy({ $0.state.isFinal }) { return jobs }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw TestFailure("the jobs did not all end within 300 s: \(try await store.jobs().map { "\($0.id): \($0.state)" })")
        }
    }
}

/// Asks every worker for a prediction of each model every 20 ms and notes when each worker
/// first answered with each version.
actor VersionWatch {
    private let workers: [GroveClient?]
    private let models: [String]
    private var stopped: Set<Int> = []
    /// (worker, model) → the first time each version was served.
    private var seen: [String: [Int: Date]] = [:]

    init(workers: [GroveClient?], models: [String]) {
        self.workers = workers
        self.models = models
    }

    func stopWatching(worker: Int) { stopped.insert(worker) }

    func run() async {
        let row = [Float](repeating: 0.5, count: 20)
        while !Task.isCancelled {
            for (index, client) in workers.enumerated() where !stopped.contains(index) {
                guard let client else { continue }
                for model in models {
                    guard let answer = try? await client.predictAnswer([row], model: model), let version = answer.version else { continue }
                    let key = "\(index)/\(model)"
                    if seen[key]?[version] == nil { seen[key, default: [:]][version] = Date() }
                }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Whether each of `workers` has served version `number` (or later) of every model.
    func everyWorker(_ workers: [Int], serves number: Int, of models: [String]) -> Bool {
        workers.allSatisfy { worker in models.allSatisfy { firstSeen(worker: worker, model: $0, atLeast: number) != nil } }
    }

    /// When `worker` first served a version of `model` numbered `number` or later.
    func firstSeen(worker: Int, model: String, atLeast number: Int) -> Date? {
        seen["\(worker)/\(model)"]?.filter { $0.key >= number }.map(\.value).min()
    }
}
