/// How the daemon watches each model's prediction inputs for distributions it does not know.
public struct WatchSettings: Sendable, Equatable {
    /// Whether the watch runs (novelty scores are then absent from answers).
    public var enabled = true
    /// Rows in a window; a window is tested when it is full.
    public var windowRows = 256
    /// Windows in a row that must not fit the known domains before a drift event.
    public var consecutive = 3
    /// A window whose p-value is below this does not fit.
    public var alpha = 0.01
    /// Permutations of each window's MMD test.
    public var permutations = 200
    /// The most of one core the window tests take: after a test that held the test thread
    /// for `t` seconds (its CPU time on an idle machine; longer when requests keep the cores
    /// busy, so that tests then come less often), the tester rests `t × (1 − share) / share`,
    /// at most ``longestRest`` (1 never rests); clamped to ``smallestCPUShare``...1.
    public var cpuShare = 0.1
    /// The smallest ``cpuShare`` honoured.
    public static let smallestCPUShare = 0.01
    /// The longest rest after a test, in seconds, however long the test waited for its turns.
    public static let longestRest = 10.0
    /// The most rows a drift event keeps as its candidate dataset: the windows of its run up to
    /// the event, then those of the same run after it, until a window fits again.
    public var candidateRows = 4096
    /// Where each drift event is posted as JSON, if anywhere.
    public var webhook: DriftWebhook.Settings?

    /// How long the tester rests after a test that held its thread for `seconds`: what keeps
    /// the tests to ``cpuShare``, at most ``longestRest``.
    public func rest(afterTestHolding seconds: Double) -> Double {
        let share = min(1, max(Self.smallestCPUShare, cpuShare))
        return min(max(seconds, 0) * (1 - share) / share, Self.longestRest)
    }

    /// The defaults: on, 256-row windows, 3 in a row at α = 0.01, 200 permutations, a tenth
    /// of a core for the tests, candidates of up to 4 096 rows.
    public init() {}
}
