import Foundation
import GRDB
@testable import GroveService
import GroveStore
import Testing

/// What garbage collection removes and what it keeps.
@Suite struct GarbageCollectorTests {
    static let day: TimeInterval = 86_400

    /// Stores `text` as an upload (or reuses the stored file at `path`) and queues a spec naming it.
    static func submit(_ text: String, domain: String, in intake: IntakeHome, reusing path: String? = nil) async throws -> (job: JobRecord, data: String) {
        let data = try path ?? intake.daemon.submissions.store(Data(text.utf8), name: "\(domain).csv")
        let result = try await intake.daemon.submissions.submit(DatasetSpec(domain: domain, source: .init(format: .csv, path: data)), model: "default")
        return (result.job, data)
    }

    /// Runs the oldest queued job to `state`, ended `ago` seconds before now.
    @discardableResult
    static func end(_ anyStore: any Store, as state: JobState, ago: TimeInterval) async throws -> JobRecord {
        // Backdating a job takes SQL: the daemon's store is the SQLite one.
        let store = try #require(anyStore as? SQLiteStore)
        let job = try #require(try await store.claimNextJob())
        if state == .succeeded {
            _ = try await store.finish(jobID: job.id)
        } else {
            _ = try await store.fail(jobID: job.id, message: "bad row")
        }
        try await store.database.write { db in
            try db.execute(sql: "UPDATE jobs SET finished_at = ? WHERE id = ?", arguments: [Date().addingTimeInterval(-ago), job.id])
        }
        return job
    }

    static func age(_ path: String, by seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-seconds)], ofItemAtPath: path)
    }

    @Test func endedJobsFilesAndAbandonedUploadsGoWhatJobsMayStillReadStays() async throws {
        let intake = try await IntakeHome()
        defer { intake.remove() }
        let store = intake.daemon.store
        let a = try await Self.submit("a\n1\n", domain: "a", in: intake)
        try await Self.end(store, as: .succeeded, ago: 3 * Self.day)
        let b = try await Self.submit("b\n2\n", domain: "b", in: intake)
        try await Self.end(store, as: .failed, ago: 3600)
        let d = try await Self.submit("x\n4\n", domain: "d", in: intake)
        try await Self.end(store, as: .succeeded, ago: 3 * Self.day)
        let c = try await Self.submit("c\n3\n", domain: "c", in: intake)
        let e = try await Self.submit("", domain: "e", in: intake, reusing: d.data)
        let orphanOld = try intake.daemon.submissions.store(Data("o\n5\n".utf8), name: "old.csv")
        let orphanYoung = try intake.daemon.submissions.store(Data("y\n6\n".utf8), name: "young.csv")
        for name in intake.names(in: "datasets") where !name.hasPrefix(URL(fileURLWithPath: orphanYoung).lastPathComponent) {
            try Self.age(intake.home.datasets.appendingPathComponent(name).path, by: 3 * Self.day)
        }
        let copyA = try intake.write("a\n1\n", at: "incoming/job-\(a.job.id)-a.csv")
        let copyC = try intake.write("c\n3\n", at: "incoming/job-\(c.job.id)-c.csv")
        let abandoned = try intake.write("partial", at: "incoming/4F2C")
        let fresh = try intake.write("partial", at: "incoming/9D1E")
        let journaled = try intake.write("j\n", at: "journal/default/j.csv")
        for url in [copyA, copyC, abandoned, journaled] { try Self.age(url.path, by: 2 * Self.day) }

        let collector = GarbageCollector(home: intake.home, store: store)
        let planned = try await collector.plan()
        let expected = [a.job.source, a.data, d.job.source, orphanOld, copyA.path, abandoned.path]
            .map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        #expect(Set(planned.map(\.path)) == Set(expected), "\(planned.map(\.reason))")
        #expect(planned.count == expected.count)
        let reasons = Dictionary(planned.map { ($0.path, $0.reason) }, uniquingKeysWith: { first, _ in first })
        #expect(reasons[URL(fileURLWithPath: a.data).standardizedFileURL.path] == "dataset of job \(a.job.id) (succeeded), ended 3 d ago")
        #expect(reasons[URL(fileURLWithPath: orphanOld).standardizedFileURL.path] == "read by no job, written 3 d ago")
        #expect(reasons[copyA.standardizedFileURL.path] == "inbox copy of job \(a.job.id), succeeded 3 d ago")
        #expect(reasons[abandoned.standardizedFileURL.path] == "abandoned upload, written 2 d ago")

        let removed = try await collector.collect()
        #expect(Set(removed.map(\.path)) == Set(expected))
        for path in expected { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
        // Kept: the failed job's files (it may be retried), the queued jobs' files (one shared
        // with an old succeeded job), a recent upload, the journal and a recent scratch file.
        for path in [b.job.source, b.data, c.job.source, c.data, d.data, e.job.source, orphanYoung, copyC.path, fresh.path, journaled.path] {
            #expect(FileManager.default.fileExists(atPath: path), "\(path)")
        }
        #expect(JobFiles(of: b.job, home: intake.home).missing.isEmpty)
        #expect(JobFiles(of: a.job, home: intake.home).missing == [URL(fileURLWithPath: a.job.source).lastPathComponent])
        #expect(try await collector.plan().isEmpty)
        #expect(try await store.jobs().count == 5, "the store is never touched")

        // After the retention period the failed job's files go too.
        let later = try await GarbageCollector(home: intake.home, store: store, retention: 1800).plan()
        #expect(Set(later.map(\.path)).isSuperset(of: [b.job.source, b.data].map { URL(fileURLWithPath: $0).standardizedFileURL.path }))
    }

    @Test func theDaemonsPassLogsWhatItRemoves() async throws {
        let intake = try await IntakeHome()
        defer { intake.remove() }
        let abandoned = try intake.write("partial", at: "incoming/4F2C")
        try Self.age(abandoned.path, by: 2 * Self.day)
        let service = CollectionService(collector: GarbageCollector(home: intake.home, store: intake.daemon.store), logger: intake.logger)
        await service.pass()
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        #expect(intake.log.count("removed an old file") == 1)
    }

    @Test func agesReadShort() {
        let now = Date()
        #expect(GarbageCollector.age(now.addingTimeInterval(-30), now) == "30 s")
        #expect(GarbageCollector.age(now.addingTimeInterval(-600), now) == "10 min")
        #expect(GarbageCollector.age(now.addingTimeInterval(-5 * 3600), now) == "5 h")
        #expect(GarbageCollector.age(now.addingTimeInterval(-3 * 86_400), now) == "3 d")
        #expect(GarbageCollector.inboxCopyJob("job-12-day-1.csv") == 12)
        #expect(GarbageCollector.inboxCopyJob("jobless.csv") == nil)
    }
}
