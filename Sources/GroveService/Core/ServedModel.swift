import Foundation
import GroveData
import GroveModel
import GroveNumerics

/// One committed version of a model as predictions read it. It never changes, so requests
/// compute on it at the same time, each on a predictor of its own over the one folded copy of
/// the weights, and off the actor that guards the model (``ModelHost``), which hands out the
/// version it serves and replaces it as a whole after a commit.
///
/// ```swift
/// let served = host.served                      // nil before the first phase
/// let batch = try served?.predict(rows)          // on any thread, concurrently
/// ```
public final class ServedModel: Sendable {
    /// The model's name.
    public let name: String
    /// The committed version number.
    public let version: Int
    /// The model's label names, in class-index order.
    public let labels: LabelRegistry
    /// Features per row.
    public let inputs: Int
    /// Classes the model predicts.
    public let classCount: Int
    /// Each class's name as a JSON string literal, quotes included, for answers.
    let labelLiterals: [[UInt8]]
    /// The expert id of each gate row.
    private let expertIDs: [Int32]
    private let predictors: PredictorPool
    private let watch: PredictionWatch?

    /// The served form of `model`, version `version` of the model `name`, whose inputs
    /// `watch` watches when given.
    /// - Throws: `ModelError.noExperts` for a model without experts.
    init(name: String, version: Int, model: MixtureOfExperts, labels: LabelRegistry, watch: PredictionWatch?) throws(ModelError) {
        self.name = name
        self.version = version
        self.labels = labels
        self.watch = watch
        inputs = model.inputs
        classCount = model.classCount
        expertIDs = model.experts.map { Int32($0.id) }
        predictors = PredictorPool(try MoEPredictor(model: model))
        labelLiterals = (0..<model.classCount).map { index in
            JSONLiteral.string(labels.name(of: Int32(index)) ?? String(index))
        }
    }

    /// This version without its watch: the same predictors over the same weights, answering
    /// without novelty and adding no rows to a window. For comparing what the watch costs on
    /// one copy of the weights and one helper thread, which two separately built versions do not share.
    func unwatched() -> ServedModel {
        ServedModel(of: self)
    }

    /// `other` without its watch.
    private init(of other: ServedModel) {
        name = other.name
        version = other.version
        labels = other.labels
        inputs = other.inputs
        classCount = other.classCount
        labelLiterals = other.labelLiterals
        expertIDs = other.expertIDs
        predictors = other.predictors
        watch = nil
    }

    /// The name of class `index`.
    public func label(_ index: Int) -> String {
        labels.name(of: Int32(index)) ?? String(index)
    }

    /// Class probabilities, chosen experts and, when the inputs are watched, novelty of each
    /// row of `x`; the rows join the watch's window.
    /// - Throws: ``ServiceError/badInput(_:)`` for rows of another width than the model's.
    public func predict(_ x: Matrix) throws(ServiceError) -> PredictionBatch {
        guard x.cols == inputs else {
            throw .badInput("samples have \(x.cols) features, model '\(name)' expects \(inputs)")
        }
        let batch = x.storage.withUnsafeBufferPointer { xb in
            guard let base = xb.baseAddress, x.rows > 0 else {
                return PredictionBatch(version: version, rows: 0, classCount: classCount, probabilities: UnsafeBufferPointer(start: nil, count: 0),
                                       chosen: UnsafeBufferPointer(start: nil, count: 0), expertIDs: expertIDs)
            }
            return predictors.withPredictor(rows: x.rows) { predictor in
                func answer(_ probabilities: UnsafeBufferPointer<Float>, _ chosen: UnsafeBufferPointer<Int32>) -> PredictionBatch {
                    PredictionBatch(version: version, rows: x.rows, classCount: classCount, probabilities: probabilities,
                                    chosen: chosen, expertIDs: expertIDs)
                }
                guard let scorer = watch?.scorer(version: version, width: x.cols) else {
                    return predictor.predict(x: base, rows: x.rows, answer)
                }
                // Scored beside the forward pass: on the hot helper thread while this one runs the gate.
                var novelty: [Float] = []
                var batch = predictor.predict(x: base, rows: x.rows, beside: { novelty = scorer.scores(x) }, answer)
                batch.novelty = novelty
                return batch
            }
        }
        if let row = batch.firstRowNotFinite {
            throw .badInput("x[\(row)]: the model's probabilities for this row are not finite numbers; its features are too large for the model")
        }
        if batch.novelty != nil { watch?.observe(x, version: version) }
        return batch
    }

    /// ``predict(_:)``'s answers as one ``Prediction`` per row.
    public func predictions(_ x: Matrix) throws(ServiceError) -> [Prediction] {
        let batch = try predict(x)
        return (0..<batch.rows).map { row in
            let best = batch.classIndices[row]
            return Prediction(label: label(best), classIndex: best, probability: Double(batch.probability(row: row)),
                              experts: batch.experts(row: row), novelty: batch.novelty.map { Double($0[row]) })
        }
    }
}

/// What a model answered for a batch of rows: every class's probability, each row's most
/// probable class and chosen experts, and the rows' novelty when inputs are watched.
public struct PredictionBatch: Sendable, Equatable {
    /// The model version that answered.
    public let version: Int
    /// Rows answered.
    public let rows: Int
    /// Classes per row.
    public let classCount: Int
    /// `p(y|x)`, `(rows, classCount)` row-major.
    public let probabilities: [Float]
    /// Each row's most probable class (the first of equal ones).
    public let classIndices: [Int]
    /// Experts chosen per row (the gate's top-k).
    public let expertsPerRow: Int
    /// The ids of the experts chosen for each row, first choice first, `(rows, expertsPerRow)`;
    /// -1 where a row got fewer.
    public let chosenExperts: [Int32]
    /// How unlike every known domain each row is; nil when inputs are not watched or the
    /// watch has not loaded the version's domains yet.
    public var novelty: [Float]?

    init(version: Int, rows: Int, classCount: Int, probabilities: UnsafeBufferPointer<Float>,
         chosen: UnsafeBufferPointer<Int32>, expertIDs: [Int32]) {
        self.version = version
        self.rows = rows
        self.classCount = classCount
        self.probabilities = Array(probabilities)
        classIndices = (0..<rows).map { row in
            let base = row * classCount
            var best = 0
            for j in 0..<classCount where probabilities[base + j] > probabilities[base + best] { best = j }
            return best
        }
        expertsPerRow = rows > 0 ? chosen.count / rows : 0
        chosenExperts = chosen.map { $0 >= 0 ? expertIDs[Int($0)] : -1 }
    }

    /// The first row with a probability that is NaN or infinite (features so large that the
    /// model's arithmetic overflowed), if any.
    var firstRowNotFinite: Int? {
        probabilities.firstIndex { !$0.isFinite }.map { $0 / max(classCount, 1) }
    }

    /// The probability of row `row`'s most probable class.
    public func probability(row: Int) -> Float {
        probabilities[row * classCount + classIndices[row]]
    }

    /// The ids of the experts chosen for row `row`, first choice first.
    public func experts(row: Int) -> [Int] {
        let start = row * expertsPerRow
        return chosenExperts[start..<(start + expertsPerRow)].compactMap { $0 >= 0 ? Int($0) : nil }
    }
}
