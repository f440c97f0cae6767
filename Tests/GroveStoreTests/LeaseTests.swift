import Foundation
import GroveStore
import Testing

/// Workers that share a store: leases that live workers renew, jobs of dead workers queued
/// again, stale workers fenced off, and one phase per model at a time.
@Suite struct LeaseTests {
    static let ann = JobLease(owner: "ann", seconds: 30)
    static let bob = JobLease(owner: "bob", seconds: 30)

    @Test(arguments: Backend.allCases) func aLeaseIsHeldRenewedByItsOwnerOnlyAndEndsWithTheJob(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            _ = try await store.enqueue(JobRequest(datasetSHA256: fakeSHA256(1), source: "a.csv"))
            let job = try #require(try await store.claimNextJob(after: nil, lease: Self.ann))
            #expect(job.leaseOwner == "ann")
            let firstExpiry = try #require(job.leaseExpiresAt)
            #expect(firstExpiry.timeIntervalSinceNow > 20 && firstExpiry.timeIntervalSinceNow <= 31)
            try await Task.sleep(for: .milliseconds(20))
            let renewed = try await store.renewLease(jobID: job.id, lease: Self.ann)
            #expect(renewed > firstExpiry)
            await #expect(throws: StoreError.leaseLost(jobID: job.id)) { _ = try await store.renewLease(jobID: job.id, lease: Self.bob) }
            let finished = try await store.finish(jobID: job.id)
            #expect(finished.leaseOwner == nil && finished.leaseExpiresAt == nil)
            await #expect(throws: StoreError.leaseLost(jobID: job.id)) { _ = try await store.renewLease(jobID: job.id, lease: Self.ann) }
        }
    }

    @Test(arguments: Backend.allCases) func aDeadWorkersJobIsQueuedAgainAndItsStaleCommitIsRefused(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            _ = try await store.enqueue(JobRequest(model: "a", datasetSHA256: fakeSHA256(1), source: "a.csv"))
            _ = try await store.enqueue(JobRequest(model: "b", datasetSHA256: fakeSHA256(2), source: "b.csv"))
            // Carl's lease outlives the test; Ann's runs out (she died).
            let carlsClaim = try #require(try await store.claimNextJob(after: nil, lease: JobLease(owner: "carl", seconds: 600)))
            let annsClaim = try #require(try await store.claimNextJob(after: carlsClaim.model, lease: JobLease(owner: "ann", seconds: 0.5)))
            try await Task.sleep(for: .milliseconds(1_500))

            let requeued = try await store.requeueExpired(maxAttempts: 3)
            #expect(requeued.map(\.id) == [annsClaim.id] && requeued.first?.state == .queued, "a live lease is left alone")
            #expect(try await store.job(id: carlsClaim.id)?.state == .running)
            #expect(requeued.first?.leaseOwner == nil)
            #expect(try await store.events(jobID: annsClaim.id, limit: 1).first?.message == "the lease of ann ran out during attempt 1")
            let bobsClaim = try #require(try await store.claimNextJob(after: nil, lease: Self.bob))
            #expect(bobsClaim.id == annsClaim.id && bobsClaim.attempts == 2 && bobsClaim.leaseOwner == "bob")

            // Ann wakes up: her commit and her failure are both refused, and change nothing.
            var stale = PhaseFixture.phase(jobID: annsClaim.id, domain: "tops")
            stale.attempt = annsClaim.attempts
            let before = try await subject.tableCounts()
            await #expect(throws: StoreError.leaseLost(jobID: annsClaim.id)) { _ = try await store.commitPhase(stale) }
            await #expect(throws: StoreError.leaseLost(jobID: annsClaim.id)) {
                _ = try await store.fail(jobID: annsClaim.id, message: "ann's child crashed", attempt: annsClaim.attempts)
            }
            #expect(try await subject.tableCounts() == before)

            var current = PhaseFixture.phase(jobID: bobsClaim.id, domain: "tops")
            current.attempt = bobsClaim.attempts
            current.baseVersion = 0
            #expect(try await store.commitPhase(current).modelVersion.number == 1)
        }
    }

    @Test(arguments: Backend.allCases) func aJobOutOfAttemptsFailsAndAJobWithoutALeaseNeverExpires(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            _ = try await store.enqueue(JobRequest(model: "a", datasetSHA256: fakeSHA256(1), source: "a.csv"))
            _ = try await store.enqueue(JobRequest(model: "b", datasetSHA256: fakeSHA256(2), source: "b.csv"))
            let unleased = try #require(try await store.claimNextJob(after: nil, lease: nil))
            let leased = try #require(try await store.claimNextJob(after: unleased.model, lease: JobLease(owner: "ann", seconds: 0.01)))
            try await Task.sleep(for: .milliseconds(200))
            let changed = try await store.requeueExpired(maxAttempts: 1)
            #expect(changed.map(\.id) == [leased.id])
            #expect(changed.first?.state == .failed && changed.first?.error == "interrupted 1 times; giving up")
            #expect(try await store.job(id: unleased.id)?.state == .running)
        }
    }

    @Test(arguments: Backend.allCases) func aPhaseBuiltOnAnOlderVersionIsRefused(backend: Backend) async throws {
        try await withStoreUnderTest(backend) { subject in
            let store = subject.store
            let first = try await claimedJob(store, n: 1)
            _ = try await store.commitPhase(PhaseFixture.phase(jobID: first.id, domain: "tops"))
            let second = try await claimedJob(store, n: 2)
            var stale = PhaseFixture.phase(jobID: second.id, domain: "shoes")
            stale.baseVersion = 0
            let before = try await subject.tableCounts()
            await #expect(throws: StoreError.headMoved(model: "default", expected: 0, found: 1)) { _ = try await store.commitPhase(stale) }
            #expect(try await subject.tableCounts() == before)
            stale.baseVersion = 1
            #expect(try await store.commitPhase(stale).modelVersion.number == 2)
        }
    }

    /// Eight workers claim at once from three models' queues: no job is claimed twice and no
    /// model ever has two running jobs; each model's jobs run in submission order.
    @Test(arguments: Backend.allCases) func concurrentWorkersNeverShareAJobOrAModel(backend: Backend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let models = ["m0", "m1", "m2"]
            for n in 0..<12 {
                _ = try await store.enqueue(JobRequest(model: models[n % 3], datasetSHA256: fakeSHA256(n), source: "\(n).csv"))
            }
            let runs = try await withThrowingTaskGroup(of: [JobRecord].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var ran: [JobRecord] = []
                        let lease = JobLease(owner: "w\(worker)", seconds: 30)
                        var idle = 0
                        while idle < 20 {
                            guard let job = try await store.claimNextJob(after: ran.last?.model, lease: lease) else {
                                idle += 1
                                try await Task.sleep(for: .milliseconds(5))
                                continue
                            }
                            idle = 0
                            let running = try await store.jobs(model: job.model, states: [.running])
                            #expect(running.map(\.id) == [job.id], "model \(job.model) runs \(running.map(\.id))")
                            try await Task.sleep(for: .milliseconds(2))
                            ran.append(try await store.finish(jobID: job.id))
                        }
                        return ran
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(runs.count == 12 && Set(runs.map(\.id)).count == 12, "every job ran exactly once")
            for model in models {
                let order = runs.filter { $0.model == model }.sorted { ($0.finishedAt ?? .distantPast) < ($1.finishedAt ?? .distantPast) }
                #expect(order.map(\.id) == order.map(\.id).sorted(), "\(model) ran in submission order")
            }
        }
    }
}
