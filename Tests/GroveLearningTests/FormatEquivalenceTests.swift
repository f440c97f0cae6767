import GroveData
import GroveLearning
import GroveModel
import GroveTestSupport
import Testing

/// The same samples stored in every format read as the same dataset, bit for bit, and so teach
/// bit-identical models: no reader rescales or otherwise reinterprets what was written.
struct FormatEquivalenceTests {
    let directory: TemporaryDirectory
    /// 1 000 samples of classes 0...9, and a second domain of classes 10...19.
    let first = PixelSamples(count: 1_000, classes: 0 ... 9, seed: 1)
    let second = PixelSamples(count: 1_000, classes: 10 ... 19, seed: 2)

    init() throws {
        directory = try TemporaryDirectory(prefix: "grove-learning-tests")
    }

    @Test func everyFormatReadsTheSameSamplesBitForBit() throws {
        let expected = first.values.map { Float($0).bitPattern }
        for format in StoredFormat.allCases {
            var registry = LabelRegistry()
            let dataset = try load(first, as: format, registry: &registry)
            #expect(dataset.count == 1_000 && dataset.dimension == 16, "\(format)")
            let bits = dataset.features.map(\.bitPattern)
            let mismatch = Array(zip(bits, expected)).firstIndex { $0.0 != $0.1 }
            #expect(bits.count == expected.count && mismatch == nil,
                    "\(format): value \(mismatch ?? bits.count) is \(bits.count == expected.count ? "" : "missing or ")not the value written")
            #expect(dataset.labels == first.labels.map(Int32.init), "\(format)")
            #expect(registry.labels == (0 ... 9).map(String.init), "\(format)")
        }
    }

    @Test func onePhaseOnEachFormatLearnsBitIdenticalModels() throws {
        let reference = try learn([(first, .csv)])
        for format in StoredFormat.allCases where format != .csv {
            let fingerprint = try learn([(first, format)])
            #expect(fingerprint.mismatches(against: reference) == [], "\(format) learned another model than csv")
        }
    }

    @Test func twoPhasesInMixedFormatsLearnBitIdenticalModels() throws {
        let reference = try learn([(first, .csv), (second, .npyFloat64)])
        #expect(reference.expertChecksums.count >= 2, "the second domain grows an expert")
        let others: [(StoredFormat, StoredFormat)] = [
            (.idxUInt8Images, .jsonl), (.npyBigEndianFloat32Images, .idxFloat32), (.npyUInt8, .npyInt32),
        ]
        for (a, b) in others {
            let fingerprint = try learn([(first, a), (second, b)])
            #expect(fingerprint.mismatches(against: reference) == [], "\(a) then \(b) learned another model than csv then npyFloat64")
        }
    }

    /// Writes `samples` as `format` and loads them into `registry`.
    private func load(_ samples: PixelSamples, as format: StoredFormat, registry: inout LabelRegistry, expectedDimension: Int? = nil) throws -> Dataset {
        let name = samples.labels.first.map { "domain-from-\($0)" } ?? "empty"
        let file = try format.write(samples, to: directory.path, name: name)
        return try DatasetLoader.load(path: file.path, labelsPath: file.labels, registry: &registry, expectedDimension: expectedDimension)
    }

    /// One phase per dataset, each written and read in its format, with one label registry.
    private func learn(_ phases: [(PixelSamples, StoredFormat)]) throws -> ModelFingerprint {
        var learner = LifelongLearner(config: .forTests(
            hidden: 16, expertEpochs: 1, gateSteps: 7, replayPerDomain: 200, detectorSamples: 64, permutations: 100))
        var registry = LabelRegistry()
        for (samples, format) in phases {
            let dataset = try load(samples, as: format, registry: &registry, expectedDimension: learner.model?.inputs)
            try learner.learn(train: dataset, test: nil)
        }
        let model = try #require(learner.model)
        return ModelFingerprint(
            expertChecksums: model.experts.map(\.checksum), gateBits: model.gate.parameters.map(\.bitPattern),
            expertNormalizations: model.experts.map(\.normalization), gateInput: model.gateInput,
            accuracy: learner.accuracy, registry: registry)
    }
}

/// What must match between models learned from the same samples in different formats.
struct ModelFingerprint {
    /// SHA-256 of each expert's parameter bits.
    var expertChecksums: [String]
    /// The gate's parameters, bit for bit.
    var gateBits: [UInt32]
    /// Each expert's input statistics, fitted to its domain.
    var expertNormalizations: [InputNormalization]
    /// The gate's input form and statistics.
    var gateInput: GateInput
    /// Accuracy on each domain after each phase.
    var accuracy: [[Double?]]
    /// The label registry the datasets were encoded with.
    var registry: LabelRegistry

    /// The names of the parts that differ from `other`'s (empty when the models are identical).
    func mismatches(against other: ModelFingerprint) -> [String] {
        var parts: [String] = []
        if expertChecksums != other.expertChecksums { parts.append("expert checksums") }
        if gateBits != other.gateBits { parts.append("gate parameters") }
        if expertNormalizations != other.expertNormalizations {
            parts.append("expert normalisations \(expertNormalizations) vs \(other.expertNormalizations)")
        }
        if gateInput != other.gateInput { parts.append("gate input \(gateInput) vs \(other.gateInput)") }
        if accuracy != other.accuracy { parts.append("accuracy \(accuracy) vs \(other.accuracy)") }
        if registry != other.registry { parts.append("label registry") }
        return parts
    }
}
