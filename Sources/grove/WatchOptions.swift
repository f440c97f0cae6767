import ArgumentParser
import GroveService

/// `grove daemon`'s settings of the watch on prediction inputs.
struct WatchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Rows in each window of prediction inputs tested against the known domains; 0 turns the watch off.", valueName: "rows"))
    var watchWindow = WatchSettings().windowRows

    @Option(help: ArgumentHelp("Windows in a row that must fit no mix of the known domains before a drift event.", valueName: "count"))
    var watchWindows = WatchSettings().consecutive

    @Option(help: ArgumentHelp("The level below which a window's p-value means it does not fit.", valueName: "alpha"))
    var watchAlpha = WatchSettings().alpha

    @Option(help: ArgumentHelp("The most of one core the window tests may take (0.01 to 1); under heavier traffic each window samples more rows.", valueName: "share"))
    var watchCpu = WatchSettings().cpuShare

    @Option(help: ArgumentHelp("The most rows a drift event keeps for labelling: its run's windows, before and after the event.", valueName: "rows"))
    var watchCandidateRows = WatchSettings().candidateRows

    @Option(help: ArgumentHelp("Post each drift event as JSON to this http(s) URL (retried on failure; predictions never wait for it).", valueName: "url"))
    var onDrift: String?

    func validate() throws {
        if let onDrift, (try? GroveClient(server: onDrift)) == nil {
            throw ValidationError("--on-drift: '\(onDrift)' is not an http:// or https:// URL with a host")
        }
        guard watchWindow == 0 || watchWindow >= 16 else {
            throw ValidationError("--watch-window must be 0 (off) or at least 16 rows (got \(watchWindow))")
        }
        guard watchWindows >= 1 else { throw ValidationError("--watch-windows must be at least 1 (got \(watchWindows))") }
        guard watchAlpha > 0, watchAlpha < 1 else { throw ValidationError("--watch-alpha must lie between 0 and 1 (got \(watchAlpha))") }
        guard watchCpu >= WatchSettings.smallestCPUShare, watchCpu <= 1 else {
            throw ValidationError("--watch-cpu must lie between \(WatchSettings.smallestCPUShare) and 1 (got \(watchCpu))")
        }
        guard watchWindow == 0 || watchCandidateRows >= watchWindow * watchWindows else {
            throw ValidationError("--watch-candidate-rows must hold the windows that raise an event, at least --watch-window × --watch-windows = \(watchWindow * watchWindows) (got \(watchCandidateRows))")
        }
    }

    /// The settings these options give.
    var settings: WatchSettings {
        var settings = WatchSettings()
        settings.enabled = watchWindow > 0
        settings.windowRows = max(16, watchWindow)
        settings.consecutive = watchWindows
        settings.alpha = watchAlpha
        settings.cpuShare = watchCpu
        settings.candidateRows = watchCandidateRows
        settings.webhook = onDrift.map { DriftWebhook.Settings(url: $0) }
        return settings
    }
}
