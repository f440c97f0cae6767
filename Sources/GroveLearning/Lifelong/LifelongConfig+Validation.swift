extension LifelongConfig {
    /// The first setting outside the range a phase can run with, as `field: what it must be`;
    /// nil when every setting is usable. Defaults always are; a settings file may not be.
    public var firstInvalidSetting: String? {
        func atLeast(_ name: String, _ value: Int, _ least: Int) -> String? {
            value >= least ? nil : "field '\(name)' must be at least \(least) (got \(value))"
        }
        func positive<F: BinaryFloatingPoint>(_ name: String, _ value: F) -> String? {
            value.isFinite && value > 0 ? nil : "field '\(name)' must be a positive number (got \(value))"
        }
        func nonNegative<F: BinaryFloatingPoint>(_ name: String, _ value: F) -> String? {
            value.isFinite && value >= 0 ? nil : "field '\(name)' must be a number ≥ 0 (got \(value))"
        }
        func fraction(_ name: String, _ value: Double, open: Bool) -> String? {
            let inside = open ? (value > 0 && value < 1) : (value >= 0 && value <= 1)
            return inside ? nil : "field '\(name)' must lie in \(open ? "(0, 1)" : "[0, 1]") (got \(value))"
        }
        let checks: [String?] = [
            atLeast("expertsPerDomain", expertsPerDomain, 1), atLeast("expertHidden", expertHidden, 1),
            atLeast("gateHidden", gateHidden, 0), atLeast("topK", topK, 1), atLeast("moe.topK", moe.topK, 1),
            atLeast("expertEpochs", expertEpochs, 1), atLeast("expertMinimumSteps", expertMinimumSteps, 0),
            atLeast("expertBatchSize", expertBatchSize, 1), positive("expertLearningRate", expertLearningRate),
            atLeast("gateSteps", gateSteps, 0), atLeast("gateBatchSize", gateBatchSize, 1),
            positive("gateLearningRate", gateLearningRate), atLeast("gateLearningRateDomains", gateLearningRateDomains, 0),
            atLeast("gateWarmupSteps", gateWarmupSteps, 0), nonNegative("routingSupervision", routingSupervision),
            atLeast("replayPerDomain", replayPerDomain, 1), atLeast("gatePoolRows", gatePoolRows, 1),
            atLeast("gateMinimumRowsPerDomain", gateMinimumRowsPerDomain, 1),
            fraction("gatePhaseDomainMinimumShare", gatePhaseDomainMinimumShare, open: false),
            atLeast("gateValidationRows", gateValidationRows, 0), atLeast("gateValidationInterval", gateValidationInterval, 1),
            atLeast("gatePatience", gatePatience, 1), atLeast("evaluationSamples", evaluationSamples, 1),
            atLeast("evaluationRows", evaluationRows, 1), atLeast("evaluationMinimumSamples", evaluationMinimumSamples, 1),
            fraction("testFraction", testFraction, open: true),
            nonNegative("moe.noiseStd", moe.noiseStd), nonNegative("moe.balanceCoefficient", moe.balanceCoefficient),
            nonNegative("moe.zLossCoefficient", moe.zLossCoefficient),
            moe.capacityFactor.flatMap { positive("moe.capacityFactor", $0) },
            atLeast("detector.samplesPerSide", detector.samplesPerSide, 2), atLeast("detector.permutations", detector.permutations, 1),
            fraction("detector.significance", detector.significance, open: true),
            atLeast("detector.minimumSamples", detector.minimumSamples, 1), atLeast("detector.candidates", detector.candidates, 1),
        ]
        return checks.lazy.compactMap { $0 }.first
    }
}
