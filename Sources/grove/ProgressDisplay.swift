import Foundation
import GroveService

/// Shows the progress of waited-for jobs: a redrawn bar on a terminal, plain
/// `job 3: running 40%` lines otherwise (one per change of state or whole percent).
final class ProgressDisplay {
    /// Whether standard output is a terminal.
    let interactive: Bool
    /// A short name per job (its file or domain), shown after the bar.
    let names: [Int64: String]
    private var printed: [Int64: String] = [:]
    private var barShown = false

    init(names: [Int64: String], interactive: Bool = isatty(1) != 0) {
        self.names = names
        self.interactive = interactive
    }

    /// Shows `job`'s new state.
    func update(_ job: APIJob) {
        let percentage = Int((min(max(job.progress, 0), 1) * 100).rounded(.down))
        if interactive {
            if job.state.isFinal {
                clearBar()
                write("job \(job.id): \(job.state.rawValue)\(suffix(job))\n")
            } else {
                let filled = percentage / 5
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 20 - filled)
                write("\r\u{1B}[2Kjob \(job.id) [\(bar)] \(String(format: "%3d", percentage))% \(job.state.rawValue)\(suffix(job))")
                barShown = true
            }
            return
        }
        let line = job.state.isFinal || job.state == .queued
            ? "job \(job.id): \(job.state.rawValue)" : "job \(job.id): \(job.state.rawValue) \(percentage)%"
        guard printed[job.id] != line else { return }
        printed[job.id] = line
        write(line + "\n")
    }

    /// Ends a bar left on screen (e.g. when waiting is interrupted).
    func finish() {
        clearBar()
    }

    private func suffix(_ job: APIJob) -> String {
        names[job.id].map { " (\($0))" } ?? ""
    }

    private func clearBar() {
        guard barShown else { return }
        write("\r\u{1B}[2K")
        barShown = false
    }

    private func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }
}
