import GroveData
import GroveLearning

extension ServiceError {
    /// `error` as ``dimensionMismatch(model:file:expected:got:)`` when it is the reader's or the
    /// learner's complaint that a dataset does not have `inputs`, the input dimension of
    /// `model`; any other error unchanged. A model without an input dimension yet (`inputs`
    /// `nil`) has nothing to mismatch.
    static func explaining(_ error: any Error, model: String, inputs: Int?) -> any Error {
        guard let inputs else { return error }
        switch error {
        case DatasetError.dimensionMismatch(let file, let expected, let actual) where expected == inputs:
            return ServiceError.dimensionMismatch(model: model, file: file, expected: expected, got: actual)
        case LearningError.dimensionMismatch(let source, let expected, let got) where expected == inputs:
            return ServiceError.dimensionMismatch(model: model, file: source, expected: expected, got: got)
        default:
            return error
        }
    }
}
