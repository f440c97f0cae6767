import GroveNumerics

/// Errors of the lifelong-learning phase: data that does not fit the model or the stream.
public enum LearningError: GroveError, Equatable {
    /// A dataset's feature count differs from the model's input dimension.
    case dimensionMismatch(source: String, expected: Int, got: Int)
    /// A dataset has no samples.
    case emptyDataset(source: String)
    /// The detector needs at least this many samples on each side.
    case tooFewSamples(source: String, needed: Int, got: Int)
    /// Stored samples can only be rescaled by a positive, finite factor.
    case invalidScale(Float)

    public var description: String {
        switch self {
        case .dimensionMismatch(let source, let expected, let got):
            "\(source): samples have \(got) features, the model expects \(expected)"
        case .emptyDataset(let source):
            "\(source): no samples"
        case .tooFewSamples(let source, let needed, let got):
            "\(source): \(got) samples, the detector needs at least \(needed)"
        case .invalidScale(let factor):
            "cannot rescale stored samples by \(factor): the factor must be positive and finite"
        }
    }
}
