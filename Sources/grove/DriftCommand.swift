import ArgumentParser
import Foundation
import GroveService

/// `grove drift`: what the watch on a model's prediction inputs found, and its candidate rows.
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Drift events the watch on a model's prediction inputs raised, and their candidate rows.",
        subcommands: [DriftListCommand.self, DriftExportCommand.self],
        defaultSubcommand: DriftListCommand.self)
}

/// `grove drift [list]`: the drift events and the latest tested windows.
struct DriftListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the drift events the watch on a model's prediction inputs raised, and its latest windows.")

    @Option(help: ArgumentHelp("How many of the latest tested windows to list.", valueName: "count"))
    var windows = 20

    @Flag(help: "Print the answer as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard (0...10_000).contains(windows) else { throw ValidationError("--windows must lie between 0 and 10000 (got \(windows))") }
    }

    func run() async throws {
        try await client.showModelView(APIDrift.self, at: "/drift", json: json, read: { try await $0.drift(model: $1, windows: windows) }) { drift in
            print(Self.text(drift))
        }
    }

    /// The events and windows as two tables.
    static func text(_ drift: APIDrift) -> String {
        let time = ISO8601DateFormatter()
        var out: [String] = []
        if drift.events.isEmpty {
            out.append("no drift events")
        } else {
            var events = TextTable(header: ["event", "detected", "version", "windows", "rows", "nearest", "MMD²", "p"])
            events.rows = drift.events.map { e in
                [String(e.id), time.string(from: e.detectedAt), String(e.version), "\(e.firstWindow)–\(e.lastWindow)",
                 "\(e.rows) × \(e.features)", e.nearestDomain ?? "-", String(format: "%.4f", e.statistic), String(format: "%.3f", e.pValue)]
            }
            out.append(events.render())
        }
        guard !drift.windows.isEmpty else { return (out + ["no windows tested yet"]).joined(separator: "\n") }
        var windows = TextTable(header: ["window", "tested", "version", "rows", "fits", "nearest", "MMD²", "p", "novelty"])
        windows.rows = drift.windows.map { w in
            [String(w.id), time.string(from: w.testedAt), String(w.version), String(w.rows), w.fits ? "yes" : "no",
             w.nearestDomain ?? "-", String(format: "%.4f", w.statistic), String(format: "%.3f", w.pValue), String(format: "%.2f", w.medianNovelty)]
        }
        out.append("")
        out.append("latest windows, newest first:")
        out.append(windows.render())
        return out.joined(separator: "\n")
    }
}
