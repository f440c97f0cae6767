import Foundation
import GroveData
import GroveModel

/// A model version's weights as a safetensors file whose metadata says how to compute with them.
///
/// Tensors (float32 unless noted, row-major, `y = x Wᵀ + b` layout):
/// - `gate.w1` `(G, Dg)` and `gate.b1` `(G)` when the gate has a hidden layer (ReLU after it);
///   `gate.w2` `(E, G or Dg)` and `gate.b2` `(E)`, one logit row per expert in `gate.experts` order.
/// - `experts.<id>.w1` `(H, D)`, `.b1` `(H)` (ReLU), `.w2` `(C, H)`, `.b2` `(C)`, softmax over its C
///   outputs, and `.classes` (int32, `C`): the model-wide class index of each output.
///
/// `__metadata__["grove"]` is a JSON document: the model, version, inputs `D`, labels by class
/// index, `top_k`, the gate's input transform, and each expert's input normalisation. A row's
/// class probabilities are `Σ_e w_e · p_e` over the gate's `top_k` largest logits, with `w` the
/// softmax of those logits and `p_e` expert e's softmax scattered to its classes.
public enum WeightsExport {
    /// The metadata key of the JSON description.
    public static let metadataKey = "grove"

    /// The safetensors bytes of `model`, version `version` of `name`, with `labels`.
    public static func safetensors(_ model: MixtureOfExperts, labels: LabelRegistry, name: String, version: Int) throws -> Data {
        var tensors: [SafetensorsWriter.Tensor] = []
        let gate = model.gate
        let shape = gate.shape
        let g = gate.parameters
        if shape.hidden > 0 {
            tensors.append(.init(name: "gate.w1", shape: [shape.hidden, shape.inputs], values: .float32(Array(g[0 ..< shape.hidden * shape.inputs]))))
            tensors.append(.init(name: "gate.b1", shape: [shape.hidden], values: .float32(Array(g[shape.hidden * shape.inputs ..< shape.outputWeight]))))
        }
        tensors.append(.init(name: "gate.w2", shape: [shape.experts, shape.fanIn], values: .float32(Array(g[shape.outputWeight ..< shape.outputBias]))))
        tensors.append(.init(name: "gate.b2", shape: [shape.experts], values: .float32(Array(g[shape.outputBias ..< shape.parameterCount]))))
        for expert in model.experts {
            let s = expert.shape, p = expert.parameters, prefix = "experts.\(expert.id)."
            tensors.append(.init(name: prefix + "w1", shape: [s.hidden, s.inputs], values: .float32(Array(p[s.w1 ..< s.b1]))))
            tensors.append(.init(name: prefix + "b1", shape: [s.hidden], values: .float32(Array(p[s.b1 ..< s.w2]))))
            tensors.append(.init(name: prefix + "w2", shape: [s.outputs, s.hidden], values: .float32(Array(p[s.w2 ..< s.b2]))))
            tensors.append(.init(name: prefix + "b2", shape: [s.outputs], values: .float32(Array(p[s.b2 ..< s.parameterCount]))))
            tensors.append(.init(name: prefix + "classes", shape: [s.outputs], values: .int32(expert.classes)))
        }
        let description = Description(
            format: "grove-moe/1", model: name, version: version, inputs: model.inputs, labels: labels.names,
            topK: model.effectiveTopK,
            gate: .init(input: GateInputDescription(model.gateInput, features: model.inputs), hidden: shape.hidden,
                        experts: model.experts.map(\.id)),
            experts: model.experts.map {
                .init(id: $0.id, parent: $0.parent, domain: $0.domain, frozen: $0.isFrozen, hidden: $0.shape.hidden,
                      outputs: $0.shape.outputs, normalization: .init(mean: $0.normalization.mean, std: $0.normalization.std))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(description), as: UTF8.self)
        return try SafetensorsWriter.encode(tensors, metadata: [metadataKey: json, "format": "pt"])
    }

    /// The JSON document under ``metadataKey``.
    public struct Description: Codable, Sendable, Equatable {
        public var format: String
        public var model: String
        public var version: Int
        public var inputs: Int
        /// Label names by class index (null for an unused index).
        public var labels: [String?]
        public var topK: Int
        public var gate: Gate
        public var experts: [Expert]

        /// The router.
        public struct Gate: Codable, Sendable, Equatable {
            public var input: GateInputDescription
            /// Width of its hidden layer (0: none).
            public var hidden: Int
            /// Expert ids in logit-row order.
            public var experts: [Int]
        }

        /// One expert: its lineage and how it normalises its inputs, `(x − mean) / std`.
        public struct Expert: Codable, Sendable, Equatable {
            public var id: Int
            public var parent: Int?
            public var domain: String?
            public var frozen: Bool
            public var hidden: Int
            public var outputs: Int
            public var normalization: Normalization
        }

        /// A scalar normalisation.
        public struct Normalization: Codable, Sendable, Equatable {
            public var mean: Float
            public var std: Float
        }

        enum CodingKeys: String, CodingKey {
            case format, model, version, inputs, labels, gate, experts
            case topK = "top_k"
        }
    }

    /// What the gate reads of a row `x` of `D` features.
    ///
    /// `standardized`: `(x − mean) / std`. `row-standardized`: the row standardised by its own
    /// mean m and (population) std s, zeros when `s ≤ 1e-6 · max(1, |m|)`, then two features
    /// `clamp((ln s − log_scale_mean) / log_scale_std) · gain` and
    /// `clamp((m / s − offset_mean) / offset_std) · gain`, clamped to ±`clamp` (a flat row gives
    /// `−clamp · gain` and 0).
    public struct GateInputDescription: Codable, Sendable, Equatable {
        public var kind: String
        public var mean: Float?
        public var std: Float?
        public var logScaleMean: Float?
        public var logScaleStd: Float?
        public var offsetMean: Float?
        public var offsetStd: Float?
        public var clamp: Float?
        public var gain: Float?

        init(_ input: GateInput, features: Int) {
            switch input {
            case .standardized(let n):
                kind = "standardized"
                mean = n.mean
                std = n.std
            case .rowStandardized(let s):
                kind = "row-standardized"
                logScaleMean = s.logScaleMean
                logScaleStd = s.logScaleStd
                offsetMean = s.offsetMean
                offsetStd = s.offsetStd
                clamp = RowScaleStatistics.clamp
                gain = (Float(features) / 2).squareRoot()
            }
        }

        enum CodingKeys: String, CodingKey {
            case kind, mean, std, clamp, gain
            case logScaleMean = "log_scale_mean"
            case logScaleStd = "log_scale_std"
            case offsetMean = "offset_mean"
            case offsetStd = "offset_std"
        }
    }
}
