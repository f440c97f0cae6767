/// Turns window verdicts into drift events: an event when `consecutive` windows in a row do not
/// fit the known domains, then silence until a window fits again, so that one lasting drift is
/// one event.
public struct DriftAlarm: Sendable, Equatable {
    /// Windows in a row that must miss before an event.
    public let consecutive: Int
    /// The current run of windows that did not fit.
    public private(set) var run: [WindowVerdict] = []
    /// Whether an event was raised for the current run.
    public private(set) var raised = false

    /// An alarm raised after `consecutive` (at least 1) missing windows in a row.
    public init(consecutive: Int) {
        self.consecutive = max(1, consecutive)
    }

    /// Takes the next window's verdict; returns the run of verdicts that makes an event, once
    /// per run.
    public mutating func observe(_ verdict: WindowVerdict) -> [WindowVerdict]? {
        guard !verdict.fits else {
            run.removeAll()
            raised = false
            return nil
        }
        run.append(verdict)
        guard !raised, run.count >= consecutive else { return nil }
        raised = true
        return run
    }
}
