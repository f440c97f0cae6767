import GroveNumerics

/// What the learner keeps about one domain: its experts and classes in memory, and the names
/// of the blobs that hold its signature, held-out set and replay reservoir, which a phase reads
/// when it needs them (``LearnerBlobs``).
public struct DomainState: Sendable, Equatable {
    /// The domain's name.
    public let name: String
    /// Position of the domain in `LifelongLearner.domains`, its routing group.
    public let group: Int32
    /// The blob of the domain's ``DomainSignature``, the detector's reference sample.
    public var signature: String
    /// The per-feature mean of the domain's first training data (the signature's mean), kept in
    /// memory: the detector compares means to choose which domains to test.
    public var mean: [Float]
    /// The blob of ``mean`` (Float32 LE), which a restore reads instead of the signature.
    public var meanBlob: String
    /// Ids of the experts grown for this domain, oldest first.
    public var experts: [Int]
    /// Model-wide class indices seen in this domain.
    public var classes: Set<Int32>
    /// Held-out rows, kept for evaluation forever, in a seeded random order: any prefix is a
    /// uniform sample.
    public var heldOut: RowChunks
    /// The replay reservoir: which rows are kept and how the sampling goes on.
    public var replay: ReplayState
    /// The phase the domain first appeared in.
    public let firstPhase: Int
    /// The held-out rows evaluated after each phase: the first this many (fewer when the set
    /// is smaller), fixed when the domain was registered.
    public let evaluationSamples: Int
}

/// A domain's replay reservoir between phases: its chunks (slot order) and the state that lets
/// ``ReplayReservoir`` go on sampling when the domain gets more data.
public struct ReplayState: Sendable, Equatable {
    /// Most rows kept.
    public var capacity: Int
    /// Rows offered so far.
    public var seen: Int
    /// The reservoir's generator, so that it continues the same sequence.
    public var generator: SeededRNG
    /// The kept rows.
    public var rows: RowChunks
}
