/// The shape of a two-layer MLP `inputs -> hidden (ReLU) -> outputs` and where each parameter
/// tensor sits in its one contiguous parameter buffer: `[W1 (hidden x inputs) | b1 (hidden) |
/// W2 (outputs x hidden) | b2 (outputs)]`.
public struct ExpertShape: Sendable, Equatable, Hashable, Codable {
    /// Input features (D).
    public var inputs: Int
    /// Hidden units (H).
    public var hidden: Int
    /// Output classes (C).
    public var outputs: Int

    /// A shape `inputs -> hidden -> outputs`.
    public init(inputs: Int, hidden: Int, outputs: Int) {
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
    }

    /// Offset of W1.
    @inlinable public var w1: Int { 0 }
    /// Offset of b1.
    @inlinable public var b1: Int { hidden * inputs }
    /// Offset of W2.
    @inlinable public var w2: Int { b1 + hidden }
    /// Offset of b2.
    @inlinable public var b2: Int { w2 + outputs * hidden }
    /// Total number of parameters.
    @inlinable public var parameterCount: Int { b2 + outputs }
    /// Multiply-adds of one sample's forward pass, times two (FLOPs).
    public var forwardFLOPs: Int { 2 * (hidden * inputs + outputs * hidden) }
}
