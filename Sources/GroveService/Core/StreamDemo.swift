import Foundation
import GroveData
import GroveLearning
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

    /// Submits every domain, runs the jobs in order and returns the final learner.
    /// - Parameter onPhase: called after each committed phase.
    /// - Throws: the first failed job's message as `ServiceError.badSpec`, or a store error.
    public func run(home: GroveHome, logger: Logger, onPhase: @Sendable (PhaseReport) -> Void = { _ in }) async throws -> LifelongLearner {
        // The demo reads its own manifest's files: their directories are its data roots.
        let roots = Set(manifest.domains.flatMap { d in
            [d.source.path, d.source.labels, d.source.testPath, d.source.testLabels].compactMap { $0 }
                .map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        })
        let daemon = try await GroveDaemon.open(home: home, config: config, logger: logger, dataRoots: roots.sorted())
        for domain in manifest.domains {
            _ = try await daemon.submissions.submit(DatasetSpec(domain: domain.name, source: domain.source, limit: limit), model: manifest.model)
        }
        let host = try await daemon.hosts.host(named: manifest.model)
        let runner = JobRunner(store: daemon.store, hosts: daemon.hosts, home: home, access: daemon.submissions.access, logger: logger)
        _ = try await daemon.store.requeueInterrupted(maxAttempts: runner.maxAttempts)
        while let job = try await daemon.store.claimNextJob() {
            await runner.execute(job)
            guard let done = try await daemon.store.job(id: job.id) else { continue }
            if done.state == .failed {
                throw ServiceError.badSpec(job: job.id, reason: done.error ?? "failed")
            }
            if let report = await host.learner.phases.last { onPhase(report) }
        }
        return await host.learner
    }
}
