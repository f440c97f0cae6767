import ArgumentParser
import Foundation
import GroveService

/// `grove gc`: remove abandoned uploads and the dataset copies of jobs that ended long ago.
struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove abandoned uploads and the dataset copies of jobs that ended long ago.",
        discussion: """
            Removes, once older than --older-than: unfinished uploads in incoming/, stored files no job reads, \
            and the dataset files of jobs that ended (succeeded, failed or cancelled) before then. Files of queued \
            and running jobs stay, and a failed job keeps its files (so it can be retried) until the period has passed. \
            Models, reports and lineage live in grove.sqlite, which is never touched; nor is inbox/failed/. \
            The daemon runs the same pass with 24h at start and every hour; this command may run beside it.
            """
    )

    @Option(help: ArgumentHelp("The home directory (default $GROVE_HOME or ~/.grove).", valueName: "dir"))
    var home: String?

    @Option(help: ArgumentHelp("Keep what is younger than this: 90s, 30m, 12h, 7d.", valueName: "duration"))
    var olderThan = "24h"

    @Flag(help: "List what would be removed, and remove nothing.")
    var dryRun = false

    func validate() throws {
        guard Self.seconds(olderThan) != nil else {
            throw ValidationError("--older-than '\(olderThan)' is not a duration; use a number with s, m, h or d (e.g. 24h)")
        }
    }

    func run() async throws {
        let (dryRun, retention) = (dryRun, Self.seconds(olderThan) ?? GarbageCollector.defaultRetention)
        try await reportingErrors {
            let home = GroveHome(path: self.home ?? GroveHome.defaultPath)
            let store = try await HomeViews.openReadOnly(home: home, store: try StoreLocation(nil)).store
            let collector = GarbageCollector(home: home, store: store, retention: retention)
            let items = dryRun ? try await collector.plan() : try await collector.collect()
            let root = home.root.standardizedFileURL.path + "/"
            for item in items {
                let path = item.path.hasPrefix(root) ? String(item.path.dropFirst(root.count)) : item.path
                print("\(dryRun ? "would remove" : "removed") \(path) (\(Self.size(item.bytes))): \(item.reason)")
            }
            let total = items.reduce(Int64(0)) { $0 + $1.bytes }
            print(items.isEmpty ? "nothing to remove" : "\(dryRun ? "would remove" : "removed") \(items.count) file(s), \(Self.size(total))")
        }
    }

    /// Seconds in `text`: a non-negative number followed by `s`, `m`, `h` or `d`.
    static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), let value = Double(text.dropLast()), value.isFinite, value >= 0 else { return nil }
        return value * unit
    }

    /// `812 bytes`, `3.4 KB`, `120.0 MB`, `2.1 GB`.
    static func size(_ bytes: Int64) -> String {
        let value = Double(bytes)
        if value >= 1e9 { return String(format: "%.1f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.1f KB", value / 1e3) }
        return "\(bytes) bytes"
    }
}
