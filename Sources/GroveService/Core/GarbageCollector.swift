import Foundation
import GroveStore

/// Removes the home's files nobody needs any more, once they are older than a retention
/// period (`grove gc`, and the daemon at start and every hour):
///
/// - **Abandoned uploads**: files in `incoming/` (uploads cut off, copies left by a crash)
///   last written before the cutoff. The inbox's `journal/` is never touched (the watcher
///   puts it back in the inbox at start).
/// - **Inbox copies** `incoming/job-<id>-<name>`, kept to go to `inbox/failed/` if the job
///   fails: once the job has ended before the cutoff (or is unknown and the copy is old).
/// - **Dataset copies** in `datasets/` (stored uploads and dataset specs): once every job that
///   reads the file has ended (succeeded, failed or cancelled) before the cutoff. A file no
///   job reads (uploaded, never submitted) goes once it was last written before the cutoff.
///
/// Kept: anything written within the retention period, and every file a queued or running
/// job reads, or one that ended within the period — so a failed or cancelled job can be
/// retried with its own files until then; after that, submitting the data again queues it
/// again. Reports and restores never read these files: models, lineage, evaluations, replay
/// samples and held-out splits live in the store (`grove.sqlite`), which is never touched, and
/// so is `inbox/failed/`.
public struct GarbageCollector: Sendable {
    /// The default retention period: 24 hours.
    public static let defaultRetention: TimeInterval = 24 * 3600

    /// A file to remove and why.
    public struct Item: Sendable, Equatable {
        /// Its path.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int64
        /// Why it goes, one line.
        public var reason: String
    }

    /// The home.
    public let home: GroveHome
    /// Its store (read only: the collector never changes it).
    public let store: any Store
    /// Files younger than this (seconds) stay.
    public let retention: TimeInterval

    /// A collector of `home`, whose store is `store`.
    public init(home: GroveHome, store: any Store, retention: TimeInterval = GarbageCollector.defaultRetention) {
        self.home = home
        self.store = store
        self.retention = retention
    }

    /// What a pass at `now` would remove, by path.
    /// - Throws: a ``StoreError`` when the jobs cannot be read.
    public func plan(now: Date = Date()) async throws -> [Item] {
        let cutoff = now.addingTimeInterval(-retention)
        let jobs = try await store.jobs()
        return incomingItems(jobs: jobs, cutoff: cutoff, now: now) + datasetItems(jobs: jobs, cutoff: cutoff, now: now)
    }

    /// Removes what ``plan(now:)`` lists; returns what was removed (a file that cannot be
    /// removed is skipped).
    /// - Throws: a ``StoreError`` when the jobs cannot be read.
    public func collect(now: Date = Date()) async throws -> [Item] {
        try await plan(now: now).filter { item in
            (try? FileManager.default.removeItem(atPath: item.path)) != nil
        }
    }

    // MARK: - incoming/

    private func incomingItems(jobs: [JobRecord], cutoff: Date, now: Date) -> [Item] {
        let byID = Dictionary(jobs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return files(in: home.incoming).compactMap { file -> Item? in
            if let id = Self.inboxCopyJob(file.name) {
                if let job = byID[id] {
                    guard job.state.isFinal, let finished = job.finishedAt, finished < cutoff else { return nil }
                    return item(file, "inbox copy of job \(id), \(job.state.rawValue) \(Self.age(finished, now)) ago")
                }
                return file.modified < cutoff ? item(file, "inbox copy of unknown job \(id), written \(Self.age(file.modified, now)) ago") : nil
            }
            return file.modified < cutoff ? item(file, "abandoned upload, written \(Self.age(file.modified, now)) ago") : nil
        }
    }

    /// The job id in an inbox copy's name, `job-<id>-<name>`.
    static func inboxCopyJob(_ name: String) -> Int64? {
        guard name.hasPrefix("job-") else { return nil }
        return Int64(name.dropFirst(4).prefix { $0 != "-" })
    }

    // MARK: - datasets/

    private func datasetItems(jobs: [JobRecord], cutoff: Date, now: Date) -> [Item] {
        var readers: [String: [JobRecord]] = [:]
        for job in jobs {
            for path in JobFiles(of: job, home: home).paths { readers[path, default: []].append(job) }
        }
        let stored = files(in: home.datasets)
        // A spec written within the period may belong to a submission in flight: keep its files.
        var recent: Set<String> = []
        for file in stored where file.modified >= cutoff && file.name.hasSuffix(".spec.json") {
            if let spec = try? JSONDecoder().decode(DatasetSpec.self, from: Data(contentsOf: URL(fileURLWithPath: file.path))) {
                let source = spec.source
                let named = [source.path, source.labels, source.testPath, source.testLabels].compactMap { $0 }
                recent.formUnion(named.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
            }
        }
        return stored.compactMap { file -> Item? in
            guard file.modified < cutoff, !recent.contains(file.path) else { return nil }
            guard let jobs = readers[file.path] else {
                return item(file, "read by no job, written \(Self.age(file.modified, now)) ago")
            }
            var latest = Date.distantPast
            for job in jobs {
                guard job.state.isFinal, let finished = job.finishedAt, finished < cutoff else { return nil }
                latest = max(latest, finished)
            }
            let names = jobs.map { "\($0.id) (\($0.state.rawValue))" }.joined(separator: ", ")
            return item(file, "dataset of job \(names), ended \(Self.age(latest, now)) ago")
        }
    }

    // MARK: - Files

    private struct File {
        var path: String
        var name: String
        var bytes: Int64
        var modified: Date
    }

    /// The regular files directly in `folder` (no links, no folders), standardized paths.
    private func files(in folder: URL) -> [File] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            let url = folder.appendingPathComponent(name).standardizedFileURL
            guard let entry = FileEntry(at: url), entry.kind == .regular else { return nil }
            let modified = Date(timeIntervalSince1970: Double(entry.stamp.modified) / 1e9)
            return File(path: url.path, name: name, bytes: entry.stamp.size, modified: modified)
        }
    }

    private func item(_ file: File, _ reason: String) -> Item {
        Item(path: file.path, bytes: file.bytes, reason: reason)
    }

    /// `3 d`, `5 h`, `12 min`, `40 s`.
    static func age(_ date: Date, _ now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        if seconds >= 2 * 86_400 { return "\(seconds / 86_400) d" }
        if seconds >= 2 * 3600 { return "\(seconds / 3600) h" }
        if seconds >= 120 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
