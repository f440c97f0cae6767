import Foundation
import GroveStore
import Testing

@Suite struct JobQueueTests {
    @Test(arguments: Backend.allCases) func enqueueIsIdempotentOnDatasetHashAndModel(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let first = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(7), source: "a.csv"))
            let again = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(7), source: "copy-of-a.csv"))
            let otherModel = try await store.enqueue(JobRequest(model: "other", datasetSHA256: fakeSHA256(7), source: "a.csv"))
            #expect(first.created)
            #expect(!again.created)
            #expect(again.job == first.job)
            #expect(again.job.source == "a.csv")
            #expect(otherModel.created && otherModel.job.id != first.job.id)
            #expect(try await store.jobs().count == 2)
            #expect(!again.requeued)
            // A failed job is queued again by the same submission (see RetryTests).
            _ = try await store.claimNextJob()
            _ = try await store.fail(jobID: first.job.id, message: "bad file")
            let afterFailure = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(7), source: "a.csv"))
            #expect(!afterFailure.created && afterFailure.requeued && afterFailure.job.state == .queued)
            #expect(afterFailure.job.id == first.job.id)
        }
    }

    @Test(arguments: Backend.allCases) func enqueueRejectsAMalformedHash(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            await #expect(throws: StoreError.invalidArgument("dataset sha256 must be 64 lowercase hex digits")) {
                _ = try await store.enqueue(JobRequest(datasetSHA256: "ABC", source: "a.csv"))
            }
            let jobs = try await store.jobs()
            #expect(jobs.isEmpty)
        }
    }

    @Test(arguments: Backend.allCases) func claimTakesTheOldestQueuedJobAndCountsTheAttempt(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let a = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv")).job
            let b = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(2), source: "b.csv")).job
            #expect(a.state == .queued && a.attempts == 0 && a.startedAt == nil)
            let first = try #require(try await store.claimNextJob())
            #expect(first.id == a.id)
            #expect(first.state == .running && first.attempts == 1 && first.progress == 0 && first.startedAt != nil)
            #expect(try await store.claimNextJob() == nil, "one phase of a model at a time: b waits while a runs")
            _ = try await store.finish(jobID: first.id)
            let second = try #require(try await store.claimNextJob())
            #expect(second.id == b.id)
            #expect(try await store.claimNextJob() == nil)
        }
    }

    @Test(arguments: Backend.allCases) func claimsTakeModelsInTurnOldestFirstWithinEach(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            // Model "b" queues three jobs before "a" and "c" queue any.
            let queued: [(model: String, n: Int)] = [("b", 1), ("b", 2), ("b", 3), ("a", 4), ("c", 5), ("a", 6)]
            var ids: [Int: Int64] = [:]
            for item in queued {
                ids[item.n] = try await store.enqueue(JobRequest(model: item.model, datasetSHA256: fakeSHA256(item.n), source: "\(item.n).csv")).job.id
            }
            var claimed: [Int64] = []
            var last: String?
            while let job = try await store.claimNextJob(after: last) {
                #expect(job.state == .running && job.attempts == 1)
                claimed.append(job.id)
                last = job.model
                _ = try await store.finish(jobID: job.id)
            }
            // Nothing served yet: the oldest of all (b); then c, wrapping around to a, b, a, b.
            let expected = [1, 5, 4, 2, 6, 3].compactMap { ids[$0] }
            #expect(claimed == expected)
            #expect(try await store.jobs(states: [.queued]).isEmpty)
        }
    }

    @Test(arguments: Backend.allCases) func aLoneModelIsClaimedAgainAfterItself(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let a = try await store.enqueue(JobRequest(model: "m", datasetSHA256: fakeSHA256(1), source: "a.csv")).job
            let b = try await store.enqueue(JobRequest(model: "m", datasetSHA256: fakeSHA256(2), source: "b.csv")).job
            #expect(try await store.claimNextJob(after: "m")?.id == a.id)
            _ = try await store.finish(jobID: a.id)
            #expect(try await store.claimNextJob(after: "zzz")?.id == b.id, "a name past every model wraps around")
            _ = try await store.finish(jobID: b.id)
            #expect(try await store.claimNextJob(after: "m") == nil)
        }
    }

    @Test(arguments: Backend.allCases) func jobsFilterByModelAndModelNamesListEveryNamedModel(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            #expect(try await store.modelNames().isEmpty)
            let digits = try await store.enqueue(JobRequest(model: "digits", datasetSHA256: fakeSHA256(1), source: "d.csv")).job
            _ = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(2), source: "x.csv"))
            #expect(try await store.jobs(model: "digits", states: nil).map(\.id) == [digits.id])
            #expect(try await store.jobs(model: "digits", states: [.running]).isEmpty)
            #expect(try await store.jobs(model: "nothing", states: nil).isEmpty)
            #expect(try await store.modelNames() == ["default", "digits"])
        }
    }

    @Test(arguments: Backend.allCases) func progressFinishAndFailMoveARunningJob(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let a = try await claimedJob(store, n: 1)
            try await store.recordProgress(jobID: a.id, progress: 0.4, note: "training")
            let progressed = try #require(try await store.job(id: a.id))
            #expect(progressed.progress == 0.4 && progressed.progressNote == "training")
            let finished = try await store.finish(jobID: a.id)
            #expect(finished.state == .succeeded && finished.progress == 1 && finished.finishedAt != nil)

            let b = try await claimedJob(store, n: 2)
            let failed = try await store.fail(jobID: b.id, message: "b.csv: no 'label' column")
            #expect(failed.state == .failed && failed.error == "b.csv: no 'label' column")

            _ = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(3), source: "c.csv"))
            let c = try #require(try await store.jobs(states: [.queued]).first)
            let cancelled = try await store.cancel(jobID: c.id, reason: "withdrawn")
            #expect(cancelled.state == .cancelled)
            #expect(try await store.claimNextJob() == nil)
            #expect(try await store.jobs(states: [.succeeded, .failed]).map(\.id) == [a.id, b.id])
            let kinds = try await store.events(jobID: b.id, limit: 10).map(\.kind)
            #expect(kinds == [.jobFailed, .jobClaimed, .jobQueued])
        }
    }

    @Test(arguments: Backend.allCases) func endedJobsRefuseFurtherTransitions(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let job = try await claimedJob(store, n: 1)
            _ = try await store.finish(jobID: job.id)
            await #expect(throws: StoreError.invalidJobTransition(id: job.id, from: .succeeded, operation: "fail")) {
                _ = try await store.fail(jobID: job.id, message: "late")
            }
            await #expect(throws: StoreError.invalidJobTransition(id: job.id, from: .succeeded, operation: "record progress of")) {
                try await store.recordProgress(jobID: job.id, progress: 0.5)
            }
            await #expect(throws: StoreError.jobNotFound(id: 999)) {
                _ = try await store.finish(jobID: 999)
            }
            await #expect(throws: StoreError.self) {
                try await store.recordProgress(jobID: job.id, progress: 1.5)
            }
            #expect(try await store.job(id: job.id)?.state == .succeeded)
        }
    }

    @Test(arguments: Backend.allCases) func requeueReturnsInterruptedJobsUntilTheyUseTheirAttempts(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            _ = try await store.enqueue(JobRequest(model: "other", datasetSHA256: fakeSHA256(2), source: "b.csv"))
            let failed = try #require(try await store.claimNextJob())
            _ = try await store.fail(jobID: failed.id, message: "broken")
            let job = try await claimedJob(store, n: 1)

            // The process dies twice while running the job; each restart re-queues it.
            for attempt in 1...2 {
                let requeued = try await store.requeueInterrupted(maxAttempts: 3)
                #expect(requeued.map(\.id) == [job.id])
                #expect(requeued.first?.state == .queued && requeued.first?.attempts == attempt)
                let claimed = try #require(try await store.claimNextJob())
                #expect(claimed.id == job.id && claimed.attempts == attempt + 1)
            }
            // A third interruption uses up the attempts: the job stays failed.
            let gaveUp = try await store.requeueInterrupted(maxAttempts: 3)
            #expect(gaveUp.first?.state == .failed)
            #expect(gaveUp.first?.error == "interrupted 3 times; giving up")
            #expect(try await store.requeueInterrupted(maxAttempts: 3).isEmpty)
            #expect(try await store.claimNextJob() == nil)
            #expect(try await store.job(id: failed.id)?.state == .failed, "failed jobs are never re-queued")
        }
    }
}
