import Foundation
import GroveStore

// MARK: - Waiting for jobs

extension GroveClient {
    /// Polls the jobs `ids` until every one has ended, calling `onUpdate` with each job
    /// whenever its state or progress changes (and once at the start).
    ///
    /// Jobs run one at a time in the daemon, oldest first within a model and the models in
    /// turn, so jobs of one model submitted in the order of `ids` end in that order.
    /// - Parameters:
    ///   - ids: the jobs to wait for.
    ///   - interval: time between polls (default 200 ms).
    ///   - onUpdate: called on the caller's task with every changed job.
    /// - Returns: the final jobs, in the order of `ids`.
    /// - Throws: ``ClientError`` or `CancellationError`.
    public func wait(for ids: [Int64], interval: Duration = .milliseconds(200), onUpdate: (APIJob) -> Void = { _ in }) async throws -> [APIJob] {
        var latest: [Int64: APIJob] = [:]
        while true {
            try Task.checkCancellation()
            var pending = false
            for id in ids where latest[id].map({ !$0.state.isFinal }) ?? true {
                let job = try await job(id: id)
                if latest[id] != job {
                    latest[id] = job
                    onUpdate(job)
                }
                if !job.state.isFinal { pending = true }
            }
            if !pending { break }
            try await Task.sleep(for: interval)
        }
        return ids.compactMap { latest[$0] }
    }
}
