import GroveLearning

extension LifelongConfig {
    /// Settings scaled down so that a phase on a few hundred synthetic samples takes well under
    /// a second in a debug build: small experts and gate, few epochs and gate steps, a small replay reservoir
    /// and a quick detector, and no minimum step counts (the epochs given are what runs). Batch
    /// sizes stay at the defaults unless `batchSize` is given.
    public static func forTests(
        hidden: Int, expertEpochs: Int, gateSteps: Int, replayPerDomain: Int,
        detectorSamples: Int, permutations: Int, batchSize: Int? = nil, seed: UInt64 = 0
    ) -> LifelongConfig {
        var c = LifelongConfig()
        c.expertHidden = hidden
        c.gateHidden = hidden
        c.expertEpochs = expertEpochs
        c.gateSteps = gateSteps
        c.gateValidationInterval = max(1, gateSteps / 5)
        c.expertMinimumSteps = 0
        if let batchSize {
            c.expertBatchSize = batchSize
            c.gateBatchSize = batchSize
        }
        c.replayPerDomain = replayPerDomain
        c.detector.samplesPerSide = detectorSamples
        c.detector.permutations = permutations
        c.seed = seed
        return c
    }
}
