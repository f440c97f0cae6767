import GroveNumerics

/// What the learner keeps about one domain: its signature for detection, its experts, its
/// held-out samples for evaluation and its replay reservoir for gate retraining.
public struct DomainState: Sendable, Equatable {
    /// The domain's name.
    public let name: String
    /// Position of the domain in `LifelongLearner.domains`, its routing group.
    public let group: Int32
    /// Reference sample for the two-sample test.
    public var signature: DomainSignature
    /// Ids of the experts grown for this domain, oldest first.
    public var experts: [Int]
    /// Model-wide class indices seen in this domain.
    public var classes: Set<Int32>
    /// Held-out features, kept for evaluation forever.
    public var testX: Matrix
    /// Held-out labels.
    public var testY: [Int32]
    /// Bounded sample of the domain's training data.
    public var replay: ReplayReservoir
    /// The phase the domain first appeared in.
    public let firstPhase: Int
}
