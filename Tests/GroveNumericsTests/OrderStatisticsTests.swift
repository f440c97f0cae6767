import GroveNumerics
import Testing

/// The median's distribution-free interval takes the order statistics that the binomial
/// tables give, and the whole range when there are too few values.
@Suite struct OrderStatisticsTests {
    @Test func theMediansIntervalTakesTheTabulatedOrderStatistics() {
        // n = 40: P(Binomial(40, ½) ≤ 13) = 0.019 ≤ 0.025 < P(≤ 14) = 0.040, so the interval runs
        // from the 14th smallest to the 14th largest (coverage 0.96).
        let forty = (1...40).map(Double.init).shuffled()
        #expect(forty.medianInterval() == 14...27)
        // n = 10: P(≤ 1) = 0.011 ≤ 0.025 < P(≤ 2) = 0.055: the 2nd smallest to the 2nd largest.
        #expect((1...10).map(Double.init).reversed().medianInterval() == 2...9)
        // At 90 %, n = 10 allows P(≤ 2) = 0.055 > 0.05, still the 2nd: the same interval.
        #expect((1...10).map(Double.init).medianInterval(confidence: 0.9) == 2...9)
        // n = 20 at 90 %: P(≤ 5) = 0.021 ≤ 0.05 < P(≤ 6) = 0.058: the 6th smallest to the 6th largest.
        #expect((1...20).map(Double.init).medianInterval(confidence: 0.9) == 6...15)
    }

    @Test func tooFewValuesGiveTheirWholeRange() {
        #expect([3.0, 1, 2, 5, 4].medianInterval() == 1...5)
        #expect([7.0].medianInterval() == 7...7)
        #expect([Double]().medianInterval() == 0...0)
    }
}
