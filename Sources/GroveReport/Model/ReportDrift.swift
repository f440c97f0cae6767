/// What the watch on the model's prediction inputs found: the tested windows (a timeline of
/// p-values) and the drift events, each marking the windows of its run.
public struct ReportDrift: Sendable, Codable, Equatable {
    /// The latest tested windows, oldest first (at most ``maxWindows``).
    public var windows: [Window]
    /// Every drift event, oldest first.
    public var events: [Event]

    /// The most windows a report lists.
    public static let maxWindows = 500

    /// A timeline from its parts.
    public init(windows: [Window], events: [Event]) {
        self.windows = windows
        self.events = events
    }

    /// One tested window.
    public struct Window: Sendable, Codable, Equatable {
        public var id: Int64
        /// ISO 8601 in UTC.
        public var testedAt: String
        /// The version that answered its rows.
        public var version: Int
        public var rows: Int
        public var pValue: Double
        /// Whether it fit the known domains.
        public var fits: Bool
        public var nearestDomain: String?
        public var medianNovelty: Double

        public init(id: Int64, testedAt: String, version: Int, rows: Int, pValue: Double, fits: Bool, nearestDomain: String?, medianNovelty: Double) {
            self.id = id
            self.testedAt = testedAt
            self.version = version
            self.rows = rows
            self.pValue = pValue
            self.fits = fits
            self.nearestDomain = nearestDomain
            self.medianNovelty = medianNovelty
        }

        enum CodingKeys: String, CodingKey {
            case id, version, rows, fits
            case testedAt = "tested_at"
            case pValue = "p_value"
            case nearestDomain = "nearest_domain"
            case medianNovelty = "median_novelty"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(testedAt, forKey: .testedAt)
            try c.encode(version, forKey: .version)
            try c.encode(rows, forKey: .rows)
            try c.encode(pValue, forKey: .pValue)
            try c.encode(fits, forKey: .fits)
            try c.encode(nearestDomain, forKey: .nearestDomain)
            try c.encode(medianNovelty, forKey: .medianNovelty)
        }
    }

    /// A drift event: the windows of its run and the rows kept for labelling.
    public struct Event: Sendable, Codable, Equatable {
        public var id: Int64
        /// ISO 8601 in UTC.
        public var detectedAt: String
        public var version: Int
        /// The run's first window and the one that raised the event.
        public var firstWindow: Int64
        public var lastWindow: Int64
        /// Rows kept as its candidate dataset.
        public var rows: Int
        public var nearestDomain: String?
        /// The p-value of the window that raised it.
        public var pValue: Double

        public init(id: Int64, detectedAt: String, version: Int, firstWindow: Int64, lastWindow: Int64, rows: Int, nearestDomain: String?, pValue: Double) {
            self.id = id
            self.detectedAt = detectedAt
            self.version = version
            self.firstWindow = firstWindow
            self.lastWindow = lastWindow
            self.rows = rows
            self.nearestDomain = nearestDomain
            self.pValue = pValue
        }

        enum CodingKeys: String, CodingKey {
            case id, version, rows
            case detectedAt = "detected_at"
            case firstWindow = "first_window"
            case lastWindow = "last_window"
            case nearestDomain = "nearest_domain"
            case pValue = "p_value"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(detectedAt, forKey: .detectedAt)
            try c.encode(version, forKey: .version)
            try c.encode(firstWindow, forKey: .firstWindow)
            try c.encode(lastWindow, forKey: .lastWindow)
            try c.encode(rows, forKey: .rows)
            try c.encode(nearestDomain, forKey: .nearestDomain)
            try c.encode(pValue, forKey: .pValue)
        }
    }

    /// The timeline in one character per window, oldest first: `·` fits, `×` does not, `▲`
    /// the window that raised an event.
    public var timeline: String {
        let raised = Set(events.map(\.lastWindow))
        return String(windows.map { raised.contains($0.id) ? "▲" : $0.fits ? "·" : "×" })
    }
}
