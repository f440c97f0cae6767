import GroveNumerics

/// Errors of the MoE model: shapes that do not fit and weight blobs that cannot be decoded.
public enum ModelError: GroveError, Equatable {
    /// An input row has the wrong number of features.
    case inputDimension(expected: Int, got: Int)
    /// A label lies outside the model's label space.
    case labelOutOfRange(label: Int32, classCount: Int)
    /// `k` must lie in 1...number of experts.
    case invalidTopK(k: Int, experts: Int)
    /// No expert with this id exists in the model.
    case unknownExpert(id: Int)
    /// A weight blob is malformed; `reason` says how.
    case corruptWeights(what: String, reason: String)
    /// An operation needs at least one expert.
    case noExperts
    /// A trainer made to train the gate alone was asked to run its experts.
    case gateOnlyTrainer

    public var description: String {
        switch self {
        case .inputDimension(let expected, let got):
            "input has \(got) features, the model expects \(expected)"
        case .labelOutOfRange(let label, let classCount):
            "label index \(label) is outside the model's \(classCount) classes"
        case .invalidTopK(let k, let experts):
            "top-k = \(k) is invalid for \(experts) experts (need 1...\(experts))"
        case .unknownExpert(let id):
            "no expert with id \(id)"
        case .corruptWeights(let what, let reason):
            "\(what): corrupt weights: \(reason)"
        case .noExperts:
            "the model has no experts"
        case .gateOnlyTrainer:
            "this trainer trains the gate alone and holds no expert weights"
        }
    }
}
