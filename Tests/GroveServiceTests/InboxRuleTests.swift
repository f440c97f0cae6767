import Foundation
@testable import GroveService
import GroveStore
import Testing

/// The inbox's rules: what it ignores and refuses, how `failed/` is named, what it remembers
/// and what it recovers after a crash.
@Suite struct InboxRuleTests {
    static let csv = "label,x0,x1\n0,1.0,2.0\n1,3.0,4.0\n"

    /// Two looks: the first notes sizes, the second takes what did not change.
    static func look(_ watcher: InboxWatcher, times: Int = 2, at now: ContinuousClock.Instant = .now) async {
        var sizes: [String: Int] = [:]
        for _ in 0..<times { sizes = await watcher.scan(previousSizes: sizes, now: now) }
    }

    @Test func hiddenAndPartialNamesAreLeftAlone() async throws {
        let intake = try await IntakeHome()
        defer { intake.remove() }
        let ignored = [".hidden.csv", "a.csv.part", "b.csv.partial", "c.tmp", "d.csv.crdownload", "e.csv.download", "f.csv~", "G.CSV.PART"]
        for name in ignored + ["ok.csv"] { try intake.write(Self.csv + name, at: "inbox/" + name) }
        try intake.write(Self.csv, at: "inbox/digits/.x.csv")
        await Self.look(intake.watcher())
        #expect(try await intake.daemon.store.jobs().count == 1)
        #expect(intake.names(in: "inbox") == (ignored + ["digits", "failed"]).sorted())
        #expect(intake.names(in: "inbox/failed").isEmpty)
        #expect(intake.exists("inbox/digits/.x.csv"))
    }

    @Test func symbolicLinksAndSpecialFilesAreRefusedNotFollowed() async throws {
        let intake = try await IntakeHome()
        defer { intake.remove() }
        let target = try intake.write(Self.csv, at: "elsewhere/secret.csv")
        try FileManager.default.createSymbolicLink(atPath: intake.home.inbox.appendingPathComponent("link.csv").path,
                                                   withDestinationPath: target.path)
        try FileManager.default.createDirectory(at: intake.home.inbox.appendingPathComponent("digits"), withIntermediateDirectories: true)
        #expect(mkfifo(intake.home.inbox.appendingPathComponent("digits/pipe.csv").path, 0o600) == 0)
        // A linked folder is not a model folder: the link is refused like any other.
        try FileManager.default.createSymbolicLink(atPath: intake.home.inbox.appendingPathComponent("linked").path,
                                                   withDestinationPath: target.deletingLastPathComponent().path)
        await Self.look(intake.watcher())

        #expect(try await intake.daemon.store.jobs().isEmpty)
        let moved = try #require(FileEntry(at: intake.home.failedInbox.appendingPathComponent("link.csv")))
        #expect(moved.kind == .symlink, "the link itself was moved")
        let reason = try String(contentsOf: intake.home.failedInbox.appendingPathComponent("link.csv.error"), encoding: .utf8)
        #expect(reason == "link.csv: a symbolic link (links are not followed; move the file itself into the inbox)\n")
        #expect(try String(contentsOf: target, encoding: .utf8) == Self.csv, "the target is untouched")
        #expect(FileEntry(at: intake.home.failedInbox.appendingPathComponent("pipe.csv"))?.kind == .other)
        #expect(try String(contentsOf: intake.home.failedInbox.appendingPathComponent("pipe.csv.error"), encoding: .utf8)
                == "pipe.csv: not a regular file\n")
        #expect(FileEntry(at: intake.home.failedInbox.appendingPathComponent("linked"))?.kind == .symlink)
        #expect(intake.names(in: "elsewhere") == ["secret.csv"])
        #expect(intake.names(in: "inbox") == ["digits", "failed"] && intake.names(in: "inbox/digits").isEmpty)
    }

    @Test func failedEntriesNeverOverwriteEachOther() async throws {
        let intake = try await IntakeHome()
        defer { intake.remove() }
        let watcher = intake.watcher()
        for round in 1...3 {
            try intake.write("notes \(round)\n", at: "inbox/notes.txt")
            await Self.look(watcher)
        }
        #expect(intake.names(in: "inbox/failed") == ["notes-2.txt", "notes-2.txt.error", "notes-3.txt", "notes-3.txt.error", "notes.txt", "notes.txt.error"])
        #expect(try String(contentsOf: intake.home.failedInbox.appendingPathComponent("notes-3.txt"), encoding: .utf8) == "notes 3\n")
        let reason = try String(contentsOf: intake.home.failedInbox.appendingPathComponent("notes.txt.error"), encoding: .utf8)
        #expect(reason.hasPrefix("notes.txt: unknown format"))

        // A failed job's copy takes the next free name too, its extension kept.
        try intake.write("a,b\n", at: "inbox/failed/day1.csv.gz")
        try intake.write(Self.csv, at: "incoming/job-7-day1.csv.gz")
        let job = try await intake.daemon.store.enqueue(JobRequest(datasetSHA256: String(repeating: "a", count: 64), source: "x")).job
        var seventh = job
        seventh.id = 7
        InboxWatcher.recordFailure(of: seventh, message: "bad row", home: intake.home)
        #expect(intake.exists("inbox/failed/day1-2.csv.gz") && intake.exists("inbox/failed/day1-2.csv.gz.error"))
        #expect(!intake.exists("incoming/job-7-day1.csv.gz"))
    }

    @Test func aFileThatCannotBeMovedToFailedIsLeftAloneAndLoggedOnce() async throws {
        let intake = try await IntakeHome()
        defer { intake.remove() }
        // failed/ replaced by a plain file: nothing can be moved into it.
        try FileManager.default.removeItem(at: intake.home.failedInbox)
        try intake.write("in the way\n", at: "inbox/failed")
        try intake.write("notes\n", at: "inbox/notes.txt")
        let watcher = intake.watcher()
        await Self.look(watcher, times: 6)
        let message = "inbox file left in place until it changes"
        #expect(intake.log.count(message) == 1, "\(intake.log.lines())")
        #expect(intake.log.count("inbox file rejected") == 0)
        #expect(try String(contentsOf: intake.home.inbox.appendingPathComponent("notes.txt"), encoding: .utf8) == "notes\n")
        #expect(intake.names(in: "journal/default").isEmpty, "not left in the journal")

        // Changed, it is tried again (and logged again).
        try intake.write("other notes\n", at: "inbox/notes.txt")
        await Self.look(watcher, times: 3)
        #expect(intake.log.count(message) == 2)
    }

    @Test func aBusyStorePutsTheFileBackAndWaitsBeforeTryingAgain() async throws {
        let intake = try await IntakeHome()
        defer { intake.remove() }
        try intake.write(Self.csv, at: "inbox/day1.csv")
        let watcher = intake.watcher()
        _ = await watcher.scan(previousSizes: [:])
        // Another process holds the write lock past the store's busy timeout (5 s).
        let other = try GRDBLockHolder(path: intake.home.database.path)
        let beforeFailure = ContinuousClock.now
        _ = await watcher.scan(previousSizes: ["day1.csv": Self.csv.utf8.count])
        let afterFailure = ContinuousClock.now
        try other.release()
        #expect(intake.exists("inbox/day1.csv"), "back in the inbox")
        #expect(intake.names(in: "inbox/failed").isEmpty && intake.names(in: "journal/default").isEmpty)
        #expect(intake.log.count("inbox file not submitted; it is tried again later") == 1)
        // The looks are timed by the instants around the failure, not by the clock, which a
        // loaded machine can move by seconds between two lines.
        let stamp = try #require(FileEntry(at: intake.home.inbox.appendingPathComponent("day1.csv"))).stamp
        #expect(watcher.memory.isHeld("day1.csv", stamp: stamp, now: beforeFailure))
        #expect(!watcher.memory.isHeld("day1.csv", stamp: stamp, now: afterFailure + InboxMemory.firstDelay))
        // Not tried again at once, although the store is free now…
        await Self.look(watcher, at: beforeFailure)
        #expect(try await intake.daemon.store.jobs().isEmpty)
        // …but once the first delay has passed.
        await Self.look(watcher, at: afterFailure + InboxMemory.firstDelay)
        #expect(try await intake.daemon.store.jobs().count == 1)
        #expect(!intake.exists("inbox/day1.csv"))
    }

    @Test func whatACrashLeftInTheJournalGoesBackAndIsQueuedOnce() async throws {
        let intake = try await IntakeHome()
        defer { intake.remove() }
        let watcher = intake.watcher()
        // Taken and queued, but the crash came before the journal entry was cleared.
        try intake.write(Self.csv, at: "inbox/day1.csv")
        await Self.look(watcher)
        let queued = try #require(try await intake.daemon.store.jobs().first)
        try intake.write(Self.csv, at: "journal/default/day1.csv")
        // Taken, not yet queued: one for model digits, and a half-made copy.
        try intake.write(Self.csv + "2,5.0,6.0\n", at: "journal/digits/day2.csv")
        try intake.write("half", at: "incoming/0A1B.inbox")
        // A new file of the same name arrived meanwhile.
        try intake.write(Self.csv + "3,7.0,8.0\n", at: "inbox/digits/day2.csv")

        #expect(watcher.recoverJournal().sorted() == ["day1.csv", "digits/day2-2.csv"])
        #expect(!intake.exists("incoming/0A1B.inbox"))
        #expect(intake.names(in: "journal/default").isEmpty && intake.names(in: "journal/digits").isEmpty)
        await Self.look(watcher)
        let jobs = try await intake.daemon.store.jobs()
        #expect(jobs.count == 3, "day1 again is the same job; both day2 files are new")
        #expect(jobs.filter { $0.model == "default" }.map(\.id) == [queued.id])
        #expect(jobs.filter { $0.model == "digits" }.count == 2)
        #expect(intake.exists("incoming/job-\(queued.id)-day1.csv"))
        #expect(intake.names(in: "inbox") == ["digits", "failed"] && intake.names(in: "inbox/digits").isEmpty)
    }

    @Test func aFailedFileDroppedAgainQueuesItsJobAgain() async throws {
        let intake = try await IntakeHome()
        defer { intake.remove() }
        let watcher = intake.watcher()
        try intake.write(Self.csv, at: "inbox/day1.csv")
        await Self.look(watcher)
        let job = try #require(try await intake.daemon.store.claimNextJob())
        _ = try await intake.daemon.store.fail(jobID: job.id, message: "bad row")
        InboxWatcher.recordFailure(of: job, message: "bad row", home: intake.home)
        try FileManager.default.moveItem(at: intake.home.failedInbox.appendingPathComponent("day1.csv"),
                                         to: intake.home.inbox.appendingPathComponent("day1.csv"))
        await Self.look(watcher)
        let again = try #require(try await intake.daemon.store.job(id: job.id))
        #expect(again.state == .queued && again.attempts == 0)
        #expect(try await intake.daemon.store.jobs().count == 1)
        #expect(intake.log.lines().contains("inbox file submitted"))
    }
}
