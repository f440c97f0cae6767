import Foundation
import GroveData
import GroveLearning
import GroveNumerics
import GroveReport
import GroveStore
import Logging

/// Runs a whole stream through the daemon's own machinery in process: each manifest domain is
/// submitted as a dataset spec through durable intake, the job runner claims and learns it,
/// and every phase is committed to the home's store. `grove demo` uses it.
public struct StreamDemo: Sendable {
    /// The stream.
    public let manifest: JobManifest
    /// Learner settings.
    public let config: LifelongConfig
    /// Training samples per domain, all when nil.
    public let limit: Int?

    /// A demo of `manifest`.
    public init(manifest: JobManifest, config: LifelongConfig, limit: Int?) {
        self.manifest = manifest
        self.config = config
        self.limit = limit
    }

    /// Submits every domain, runs the jobs in order and returns the final learner and the
    /// model's report from the store's rows (the whole history, when the home held earlier
    /// phases too).
    /// - Parameter onPhase: called after each committed phase with its report, the learner as
    ///   committed and what the whole job cost.
    /// - Throws: the first failed job's message as `ServiceError.badSpec`, or a store error.
    public func run(
        home: GroveHome, logger: Logger,
        onPhase: (PhaseReport, LifelongLearner, PhaseCost) -> Void = { _, _, _ in }
    ) async throws -> (learner: LifelongLearner, report: Report) {
        // The demo reads its own manifest's files: their directories are its data roots.
        let roots = Set(manifest.domains.flatMap { d in
            [d.source.path, d.source.labels, d.source.testPath, d.source.testLabels].compactMap { $0 }
                .map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        })
        // Nothing predicts during a demo: no watch on prediction inputs.
        var watch = WatchSettings()
        watch.enabled = false
        let daemon = try await GroveDaemon.open(home: home, config: config, logger: logger, dataRoots: roots.sorted(), watch: watch)
        for domain in manifest.domains {
            _ = try await daemon.submissions.submit(DatasetSpec(domain: domain.name, source: domain.source, limit: limit), model: manifest.model)
        }
        let host = try await daemon.hosts.host(named: manifest.model)
        let runner = JobRunner(store: daemon.store, hosts: daemon.hosts, home: home, access: daemon.submissions.access, logger: logger,
                               metrics: daemon.metrics)
        _ = try await daemon.store.requeueInterrupted(maxAttempts: runner.maxAttempts)
        while let job = try await daemon.store.claimNextJob() {
            let phasesBefore = await host.learner.phaseCount
            let start = Stopwatch.now()
            await runner.execute(job)
            let wall = Double(Stopwatch.now() - start) / 1e9
            guard let done = try await daemon.store.job(id: job.id) else { continue }
            if done.state == .failed {
                throw ServiceError.badSpec(job: job.id, reason: done.error ?? "failed")
            }
            let learner = await host.learner
            if learner.phaseCount > phasesBefore, let report = learner.phases.last {
                onPhase(report, learner, PhaseCost(wallSeconds: wall, commitSeconds: await host.lastCommitSeconds))
            }
        }
        return (await host.learner, try await StoreReport.build(model: manifest.model, from: daemon.store))
    }
}

/// What one job of a stream cost beyond the learner's own step timings.
public struct PhaseCost: Sendable, Equatable {
    /// Wall-clock seconds of the whole job: reading the dataset, the phase, building and
    /// writing the commit.
    public var wallSeconds: Double
    /// Seconds spent committing the phase to the store, when measured.
    public var commitSeconds: Double?

    /// A cost of `wallSeconds`, the commit's share unknown unless given.
    public init(wallSeconds: Double, commitSeconds: Double? = nil) {
        self.wallSeconds = wallSeconds
        self.commitSeconds = commitSeconds
    }
}
