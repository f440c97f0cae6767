import Foundation

/// A tested window of prediction inputs, as the watch hands it to ``Store/recordDriftWindow(_:)``.
public struct DriftWindow: Sendable, Equatable {
    /// The model.
    public var model: String
    /// The number of the version that answered the window's rows.
    public var version: Int
    /// When it was tested.
    public var testedAt: Date
    /// Rows in the window (at least 2).
    public var rowCount: Int
    /// The window's MMD² against its reference.
    public var statistic: Double
    /// Its p-value, in [0, 1].
    public var pValue: Double
    /// Whether it fits the known domains.
    public var fits: Bool
    /// The domain most of its rows were nearest to.
    public var nearestDomain: String?
    /// The median novelty score of its rows (finite, at least 0).
    public var medianNovelty: Double

    /// A window from its parts.
    public init(model: String, version: Int, testedAt: Date, rowCount: Int, statistic: Double, pValue: Double, fits: Bool,
                nearestDomain: String?, medianNovelty: Double) {
        self.model = model
        self.version = version
        self.testedAt = testedAt
        self.rowCount = rowCount
        self.statistic = statistic
        self.pValue = pValue
        self.fits = fits
        self.nearestDomain = nearestDomain
        self.medianNovelty = medianNovelty
    }
}

/// A drift the watch found, as it hands it to ``Store/recordDriftEvent(_:)``.
public struct DriftEvent: Sendable, Equatable {
    /// The model.
    public var model: String
    /// The number of the version serving.
    public var version: Int
    /// When it was found.
    public var detectedAt: Date
    /// The stored windows of the run, first to last.
    public var windows: ClosedRange<Int64>
    /// The last window's MMD².
    public var statistic: Double
    /// The last window's p-value.
    public var pValue: Double
    /// The domain most of the run's rows were nearest to.
    public var nearestDomain: String?
    /// The run's rows, float32 little-endian, `featureCount` to a row.
    public var candidate: Data
    /// Rows in `candidate`.
    public var candidateRows: Int
    /// Features per row.
    public var featureCount: Int

    /// An event from its parts.
    public init(model: String, version: Int, detectedAt: Date, windows: ClosedRange<Int64>, statistic: Double, pValue: Double,
                nearestDomain: String?, candidate: Data, candidateRows: Int, featureCount: Int) {
        self.model = model
        self.version = version
        self.detectedAt = detectedAt
        self.windows = windows
        self.statistic = statistic
        self.pValue = pValue
        self.nearestDomain = nearestDomain
        self.candidate = candidate
        self.candidateRows = candidateRows
        self.featureCount = featureCount
    }
}
