import GroveLearning
import Testing

/// a[i][j] = accuracy on domain j after phase i (domain j learned at phase j), with zero-shot
/// entries above the diagonal for forward transfer:
///
///              d0    d1    d2
///     phase 0  0.90  0.30  0.20
///     phase 1  0.80  0.95  0.40
///     phase 2  0.70  0.85  0.60
///
/// By hand, T = 2:
/// - average accuracy  = (0.70 + 0.85 + 0.60) / 3 = 2.15 / 3 = 0.716666…
/// - forgetting f_0 = max(0.90, 0.80) − 0.70 = 0.20; f_1 = max(0.95) − 0.85 = 0.10;
///   average forgetting = (0.20 + 0.10) / 2 = 0.15
/// - backward transfer = ((0.70 − 0.90) + (0.85 − 0.95)) / 2 = (−0.20 − 0.10) / 2 = −0.15
/// - forward transfer with baselines b = (0.10, 0.25, 0.30):
///   ((a[0][1] − b1) + (a[1][2] − b2)) / 2 = ((0.30 − 0.25) + (0.40 − 0.30)) / 2 = 0.075
private let full: [[Double?]] = [
    [0.90, 0.30, 0.20],
    [0.80, 0.95, 0.40],
    [0.70, 0.85, 0.60],
]

private func close(_ a: Double?, _ b: Double) -> Bool {
    a.map { abs($0 - b) < 1e-12 } ?? false
}

@Test func handComputedThreeByThreeMatrixGivesThePapersMetrics() throws {
    let metrics = try #require(ContinualMetrics(accuracy: full, zeroShotBaselines: [0.10, 0.25, 0.30]))
    #expect(metrics.lastPhase == 2)
    #expect(close(metrics.averageAccuracy, 2.15 / 3), "\(metrics)")
    #expect(close(metrics.averageForgetting, 0.15), "\(metrics)")
    #expect(close(metrics.backwardTransfer, -0.15), "\(metrics)")
    #expect(close(metrics.forwardTransfer, 0.075), "\(metrics)")
    #expect(close(metrics.forgetting[0], 0.20) && close(metrics.forgetting[1], 0.10) && metrics.forgetting[2] == nil)
}

@Test func lowerTriangularMatrixWithoutBaselinesHasNoForwardTransfer() throws {
    // Only j ≤ i measured: the same summaries, forward transfer undefined.
    let lower: [[Double?]] = [[0.90], [0.80, 0.95], [0.70, 0.85, 0.60]]
    let metrics = try #require(ContinualMetrics(accuracy: lower))
    #expect(close(metrics.averageAccuracy, 2.15 / 3) && close(metrics.averageForgetting, 0.15))
    #expect(close(metrics.backwardTransfer, -0.15) && metrics.forwardTransfer == nil)
    // Baselines without zero-shot entries still give no forward transfer.
    #expect(ContinualMetrics(accuracy: lower, zeroShotBaselines: [0.1, 0.25, 0.3])?.forwardTransfer == nil)
}

@Test func firstPhaseHasNoForgettingAndNoBackwardTransfer() throws {
    let metrics = try #require(ContinualMetrics(accuracy: [[0.9]]))
    #expect(metrics.averageAccuracy == 0.9 && metrics.averageForgetting == 0 && metrics.backwardTransfer == 0)
    #expect(metrics.forgetting == [nil])
}

@Test func forgettingUsesTheBestEarlierAccuracyNotTheFirst() throws {
    // d0 improves at phase 1 (0.6 → 0.9) then drops to 0.7: f_0 = 0.9 − 0.7 = 0.2, BWT = 0.7 − 0.6 = +0.1.
    let metrics = try #require(ContinualMetrics(accuracy: [[0.6], [0.9, 0.8], [0.7, 0.8, 0.5]]))
    #expect(close(metrics.forgetting[0], 0.2) && close(metrics.forgetting[1], 0.0))
    #expect(close(metrics.averageForgetting, 0.1) && close(metrics.backwardTransfer, 0.05))
}

@Test func phasesThatRevisitAKnownDomainUseLearnedAt() throws {
    // Phase 1 brings more data of d0; d1 is learned at phase 2. T = 2, old domains: d0 only.
    // f_0 = max(0.80, 0.85) − 0.75 = 0.10; BWT = 0.75 − 0.80 = −0.05; ACC = (0.75 + 0.90) / 2.
    let a: [[Double?]] = [[0.80, nil], [0.85, nil], [0.75, 0.90]]
    let metrics = try #require(ContinualMetrics(accuracy: a, learnedAt: [0, 2]))
    #expect(close(metrics.averageAccuracy, 0.825) && close(metrics.averageForgetting, 0.10))
    #expect(close(metrics.backwardTransfer, -0.05) && metrics.forgetting[1] == nil)
}

@Test func emptyOrInconsistentMatricesHaveNoMetrics() {
    #expect(ContinualMetrics(accuracy: []) == nil)
    #expect(ContinualMetrics(accuracy: [[nil]]) == nil)
    #expect(ContinualMetrics(accuracy: [[0.9, 0.1]], learnedAt: [0]) == nil, "row longer than learnedAt")
    #expect(ContinualMetrics(accuracy: [[0.9]], learnedAt: [-1]) == nil)
}
