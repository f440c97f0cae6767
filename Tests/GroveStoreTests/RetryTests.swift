import Foundation
import GroveStore
import Testing

/// Failed and cancelled jobs go back to the queue: by ``Store/retry(jobID:)`` or by the same
/// submission again.
@Suite struct RetryTests {
    @Test(arguments: Backend.allCases) func retryQueuesAFailedJobAsNewAndLogsItsEarlierOutcome(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let job = try await claimedJob(store, n: 1)
            try await store.recordProgress(jobID: job.id, progress: 0.4, note: "training")
            let failed = try await store.fail(jobID: job.id, message: "bad row 7")
            #expect(failed.attempts == 1 && failed.finishedAt != nil)

            let queued = try await store.retry(jobID: job.id)
            #expect(queued.id == job.id && queued.state == .queued)
            #expect(queued.attempts == 0 && queued.progress == 0 && queued.progressNote == nil)
            #expect(queued.error == nil && queued.startedAt == nil && queued.finishedAt == nil)
            #expect(queued.source == job.source && queued.datasetSHA256 == job.datasetSHA256)
            let events = try await store.events(jobID: job.id, limit: 10)
            #expect(events.first?.kind == .jobRetried)
            #expect(events.first?.message == "retried; it had failed after 1 attempt(s): bad row 7")
            #expect(events.map(\.kind).contains(.jobFailed), "the failure stays in the audit log")

            let again = try #require(try await store.claimNextJob())
            #expect(again.id == job.id && again.attempts == 1)
        }
    }

    @Test(arguments: Backend.allCases) func retryQueuesACancelledJob(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let job = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(2), source: "b.csv")).job
            _ = try await store.cancel(jobID: job.id, reason: "by hand")
            let queued = try await store.retry(jobID: job.id)
            #expect(queued.state == .queued && queued.error == nil)
            #expect(try await store.events(jobID: job.id, limit: 1).first?.message == "retried; it had been cancelled: by hand")
        }
    }

    @Test(arguments: Backend.allCases) func onlyFailedAndCancelledJobsCanBeRetried(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let queued = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv")).job
            await #expect(throws: StoreError.invalidJobTransition(id: queued.id, from: .queued, operation: "retry")) {
                _ = try await store.retry(jobID: queued.id)
            }
            let running = try #require(try await store.claimNextJob())
            await #expect(throws: StoreError.invalidJobTransition(id: running.id, from: .running, operation: "retry")) {
                _ = try await store.retry(jobID: running.id)
            }
            _ = try await store.finish(jobID: running.id)
            await #expect(throws: StoreError.invalidJobTransition(id: running.id, from: .succeeded, operation: "retry")) {
                _ = try await store.retry(jobID: running.id)
            }
            await #expect(throws: StoreError.jobNotFound(id: 42)) {
                _ = try await store.retry(jobID: 42)
            }
            #expect(StoreError.invalidJobTransition(id: 1, from: .succeeded, operation: "retry").description
                    == "cannot retry job 1: it is succeeded")
            #expect(try await store.job(id: running.id)?.state == .succeeded)
        }
    }

    @Test(arguments: Backend.allCases) func submittingAFailedDatasetAgainQueuesItWithTheNewDescription(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let job = try await claimedJob(store, n: 3, domain: "old")
            _ = try await store.fail(jobID: job.id, message: "missing file")
            let request = JobRequest(datasetSHA256: fakeSHA256(3), source: "moved/data-3.csv", labelsSource: "labels.txt",
                                     format: "csv", declaredDomain: "new")
            let result = try await store.enqueue(request)
            #expect(!result.created && result.requeued)
            #expect(result.job.id == job.id && result.job.state == .queued && result.job.attempts == 0)
            #expect(result.job.source == "moved/data-3.csv" && result.job.labelsSource == "labels.txt")
            #expect(result.job.format == "csv" && result.job.declaredDomain == "new")
            #expect(try await store.events(jobID: job.id, limit: 1).first?.message
                    == "submitted again; it had failed after 1 attempt(s): missing file")
            // Queued now: a further submission changes nothing.
            let again = try await store.enqueue(request)
            #expect(!again.created && !again.requeued && again.job == result.job)
            #expect(try await store.jobs().count == 1)
        }
    }

    @Test(arguments: Backend.allCases) func aSucceededDatasetIsNeverQueuedAgain(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let job = try await claimedJob(store, n: 4)
            let done = try await store.finish(jobID: job.id)
            let again = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(4), source: "other.csv"))
            #expect(!again.created && !again.requeued && again.job == done)
        }
    }
}
