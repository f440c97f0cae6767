import Foundation
import GroveData
import GroveNumerics
import GroveStore
import Logging
import ServiceLifecycle

/// Watches `$GROVE_HOME/inbox/` and submits every complete file that appears there.
///
/// A file is complete when it was renamed into the inbox (write elsewhere, then `mv`): the
/// watcher ignores names starting with `.` and files whose size still changes between two
/// looks. A submitted file leaves the inbox; when its job fails, a copy goes to
/// `inbox/failed/` with a `.error` file holding the message.
public struct InboxWatcher: Service {
    let home: GroveHome
    let submissions: Submissions
    let model: String
    let logger: Logger
    let interval: Duration

    /// A watcher submitting to `model`.
    public init(home: GroveHome, submissions: Submissions, model: String, logger: Logger, interval: Duration = .milliseconds(500)) {
        self.home = home
        self.submissions = submissions
        self.model = model
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

    /// Submits files whose size did not change since the last look; returns the sizes seen.
    func scan(previousSizes: [String: Int]) async -> [String: Int] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: home.inbox.path) else { return [:] }
        var seen: [String: Int] = [:]
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = home.inbox.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let size = (try? fm.attributesOfItem(atPath: url.path)[.size] as? Int) ?? -1
            guard previousSizes[name] == size else {
                seen[name] = size
                continue
            }
            await submit(url, name: name)
        }
        return seen
    }

    private func submit(_ url: URL, name: String) async {
        let keep = home.incoming.appendingPathComponent("inbox-" + name)
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
            logger.info("inbox file submitted", metadata: ["inbox.file": "\(name)", "job.id": "\(result.job.id)"])
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
