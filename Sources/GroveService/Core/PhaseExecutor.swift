import Dispatch
import Foundation
import GroveData
import GroveLearning
import GroveModel
import GroveNumerics
import GroveStore

/// Runs one claimed job: loads its dataset spec, learns one phase off the cooperative thread
/// pool, and commits the whole phase (and the learner snapshot) in one store transaction.
/// Nothing is written before the commit; a failure or a stop leaves the store as it was.
/// A dataset whose dimension differs from the model's fails with
/// ``ServiceError/dimensionMismatch(model:file:expected:got:)``.
struct PhaseExecutor: Sendable {
    let store: any Store
    let host: ModelHost
    /// The files the spec may name, checked again here (a file swapped for a symlink since the
    /// submission is refused), and the caps of their readers.
    let access: DataAccess
    /// Where files of jobs other workers took in come from, when the store is shared.
    var sharedFiles: SharedDatasetFiles?
    /// How often the progress of the running phase is recorded.
    var progressInterval = Duration.milliseconds(250)

    /// Learns and commits `job`; returns the phase report.
    func run(_ job: JobRecord, progress: @escaping @Sendable (Double) async -> Void) async throws -> PhaseReport {
        let spec = try await loadSpec(job)
        await progress(0.05)
        let (learner, committedSnapshot, startLabels, baseVersion) = await host.current()
        let stop = StopFlag()
        let share = ProgressShare()
        let monitor = PhaseMonitor(shouldStop: { stop.isRaised }, progress: { share.record($0) })
        // The training thread only stores its progress; the relay records it (5 % to 90 %).
        let reporter = share.relay(every: progressInterval) { await progress(0.05 + 0.85 * $0) }
        let learned: Result<(LifelongLearner, PhaseReport, LabelRegistry, [String]?), any Error>
        do {
            learned = .success(try await withTaskCancellationHandler {
                try await Self.offPool {
                    var working = learner
                    var labels = startLabels
                    var columns = committedSnapshot?.features
                    let domain = JobManifest.Domain(name: spec.domain ?? "", source: spec.source)
                    let data = try domain.materialize(registry: &labels, columns: &columns, expectedDimension: working.model?.inputs,
                                                      limits: access.limits)
                    let train = spec.limit.map { data.train.seededSample(count: $0, seed: working.config.seed) } ?? data.train
                    let report = try working.learn(train: train, test: data.test, declaredDomain: spec.domain ?? job.declaredDomain,
                                                   monitor: monitor)
                    return (working, report, labels, columns)
                }
            } onCancel: {
                stop.raise()
            })
        } catch {
            learned = .failure(ServiceError.explaining(error, model: host.name, inputs: learner.model?.inputs))
        }
        // A write cut short by this cancellation is lost, which is harmless: 0.9 follows.
        reporter.cancel()
        await reporter.value  // no progress write may land after the outcome's
        let (next, report, registry, columns) = try learned.get()
        await progress(0.9)
        var built = try await PhaseCommitBuilder(store: store).build(job: job, spec: spec, learner: next, report: report, labels: registry,
                                                                    features: columns, since: committedSnapshot)
        // The commit lands only while this worker still holds the job and the model has not
        // moved on since the phase started.
        built.commit.attempt = job.attempts
        built.commit.baseVersion = baseVersion
        let commitStart = Stopwatch.now()
        let committed = try await store.commitPhase(built.commit)
        let commitSeconds = Double(Stopwatch.now() - commitStart) / 1e9
        await host.install(next, labels: registry, snapshot: built.snapshot, version: committed.modelVersion.number, commitSeconds: commitSeconds)
        ProcessMemory.trim()
        return report
    }

    private func loadSpec(_ job: JobRecord) async throws -> DatasetSpec {
        var spec: DatasetSpec
        do {
            let path = try await sharedFiles?.local(job.source) ?? job.source
            spec = try JSONDecoder().decode(DatasetSpec.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ServiceError.badSpec(job: job.id, reason: "dataset spec \(job.source) is unreadable: \(error.localizedDescription)")
        }
        if let sharedFiles {
            // Another worker may have taken the job in: its files are fetched into this home.
            let roots = access.roots
            spec.source.path = try await sharedFiles.local(spec.source.path, roots: roots)
            if let labels = spec.source.labels { spec.source.labels = try await sharedFiles.local(labels, roots: roots) }
            if let test = spec.source.testPath { spec.source.testPath = try await sharedFiles.local(test, roots: roots) }
            if let testLabels = spec.source.testLabels { spec.source.testLabels = try await sharedFiles.local(testLabels, roots: roots) }
        }
        spec.source = try access.resolve(spec.source)
        return spec
    }

    /// Runs CPU-bound work on a dispatch thread so that the server's tasks keep running.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
