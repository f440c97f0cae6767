import Foundation
import GroveData
import GroveNumerics
import GroveStore
import Logging
import ServiceLifecycle

/// Watches `$GROVE_HOME/inbox/` and submits every complete file that appears there: files in
/// the inbox itself to model `default`, files in `inbox/<model>/` to that model (any folder
/// named by the model-name rule but `failed`, which holds the rejected files).
///
/// A file is complete when it was renamed into the inbox (write elsewhere, then `mv`): the
/// watcher ignores names starting with `.` and files whose size still changes between two
/// looks. A submitted file leaves the inbox; when its job fails, a copy goes to
/// `inbox/failed/` with a `.error` file holding the message.
public struct InboxWatcher: Service {
    let home: GroveHome
    let submissions: Submissions
    let logger: Logger
    let interval: Duration

    /// A watcher of `home`'s inbox, looking every `interval`.
    public init(home: GroveHome, submissions: Submissions, logger: Logger, interval: Duration = .milliseconds(500)) {
        self.home = home
        self.submissions = submissions
        self.logger = logger
        self.interval = interval
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var sizes: [String: Int] = [:]
                while !Task.isCancelled {
                    sizes = await scan(previousSizes: sizes)
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: stopping is the expected outcome, not an error.
        }
    }

    /// Submits files whose size did not change since the last look; returns the sizes seen,
    /// by path relative to the inbox.
    func scan(previousSizes: [String: Int]) async -> [String: Int] {
        var seen: [String: Int] = [:]
        for (folder, model) in watchedFolders() {
            for (name, size) in Self.files(in: folder) {
                let key = folder == home.inbox ? name : model + "/" + name
                guard previousSizes[key] == size else {
                    seen[key] = size
                    continue
                }
                await submit(folder.appendingPathComponent(name), name: name, model: model)
            }
        }
        return seen
    }

    /// The inbox for `default`, then each model folder in it, with its model.
    private func watchedFolders() -> [(folder: URL, model: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home.inbox.path)) ?? []
        let models = names.sorted().filter { name in
            guard name != home.failedInbox.lastPathComponent, ModelName.isValid(name), !name.hasPrefix(".") else { return false }
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: home.inbox.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
        return [(home.inbox, ModelName.standard)] + models.map { (home.inbox.appendingPathComponent($0, isDirectory: true), $0) }
    }

    /// The regular files of `folder` whose names do not start with `.`, with their sizes, by name.
    private static func files(in folder: URL) -> [(name: String, size: Int)] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().compactMap { name in
            guard !name.hasPrefix(".") else { return nil }
            let path = folder.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            return (name, (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? -1)
        }
    }

    private func submit(_ url: URL, name: String, model: String) async {
        let keep = home.incoming.appendingPathComponent("inbox-\(model)-" + name)
        do {
            try? FileManager.default.removeItem(at: keep)
            try FileManager.default.copyItem(at: url, to: keep)
            guard let format = DatasetFormat.detect(path: name) else {
                throw ServiceError.badInput("\(name): unknown format; name it .csv, .jsonl or .npy (with a labels file, submit through the API)")
            }
            let stored = try submissions.adopt(fileAt: url, name: name)
            let spec = DatasetSpec(domain: nil, source: .init(format: format, path: stored))
            let result = try await submissions.submit(spec, model: model)
            try? FileManager.default.moveItem(at: keep, to: home.incoming.appendingPathComponent("job-\(result.job.id)-" + name))
            logger.info("inbox file submitted", metadata: ["inbox.file": "\(name)", "job.model": "\(model)", "job.id": "\(result.job.id)"])
        } catch {
            let message = (error as? any GroveError)?.description ?? "\(error)"
            logger.error("inbox file rejected", metadata: ["inbox.file": "\(name)", "error": "\(message)"])
            try? FileManager.default.moveItem(at: url, to: home.failedInbox.appendingPathComponent(name))
            try? Data((message + "\n").utf8).write(to: home.failedInbox.appendingPathComponent(name + ".error"))
            try? FileManager.default.removeItem(at: keep)
        }
    }

    /// When a job that came from the inbox fails, puts its file in `inbox/failed/` with the message.
    static func recordFailure(of job: JobRecord, message: String, home: GroveHome) {
        let fm = FileManager.default
        let prefix = "job-\(job.id)-"
        guard let kept = try? fm.contentsOfDirectory(atPath: home.incoming.path).first(where: { $0.hasPrefix(prefix) }) else { return }
        let name = String(kept.dropFirst(prefix.count))
        try? fm.moveItem(at: home.incoming.appendingPathComponent(kept), to: home.failedInbox.appendingPathComponent(name))
        try? Data((message + "\n").utf8).write(to: home.failedInbox.appendingPathComponent(name + ".error"))
    }
}
