import Foundation
import GroveLearning
import GroveNumerics
import GroveTestSupport
import Testing

/// `rows x dimension` samples of N(shift, scale²) in every feature.
private func gaussian(rows: Int, dimension: Int, shift: Float = 0, scale: Float = 1, seed: UInt64) -> Matrix {
    var x = SyntheticData.gaussian(rows: rows, dimension: dimension, classes: 1, seed: seed).x
    for i in x.storage.indices { x.storage[i] = x.storage[i] * scale + shift }
    return x
}

/// The rows of `a` then those of `b`, interleaved one by one.
private func interleaved(_ a: Matrix, _ b: Matrix) -> Matrix {
    var storage: [Float] = []
    for row in 0..<min(a.rows, b.rows) {
        storage += a.storage[(row * a.cols)..<((row + 1) * a.cols)]
        storage += b.storage[(row * b.cols)..<((row + 1) * b.cols)]
    }
    return Matrix(rows: 2 * min(a.rows, b.rows), cols: a.cols, storage: storage)
}

private func signature(shift: Float, scale: Float = 1, seed: UInt64) -> DomainSignature {
    DomainSignature(features: gaussian(rows: 1_000, dimension: 8, shift: shift, scale: scale, seed: seed), seed: seed)
}

@Suite struct WatchTests {
    let signatures = [signature(shift: -3, seed: 1), signature(shift: 3, scale: 0.5, seed: 2)]
    var domains: [DomainProfile] {
        [DomainProfile(name: "low", signature: signatures[0]), DomainProfile(name: "high", signature: signatures[1])]
    }

    @Test func noveltyIsTheSmallestVarianceScaledDistanceOverTheDomainsSpread() throws {
        let x = gaussian(rows: 40, dimension: 8, shift: 1, scale: 3, seed: 7)
        let found = NoveltyScorer(domains: domains).nearest(x)
        for row in 0..<x.rows {
            let direct = domains.map { d in
                (0..<8).reduce(0.0) { sum, j in
                    let delta = Double(x.storage[row * 8 + j] - d.mean[j])
                    return sum + delta * delta / Double(d.variance[j])
                } / d.spread
            }
            let best = try #require(direct.indices.min { direct[$0] < direct[$1] })
            #expect(found[row].domain == best)
            #expect(abs(Double(found[row].score) - direct[best]) <= 1e-3 * max(1, direct[best]), "row \(row)")
            // A prediction's single row takes the one-pass path: the same score.
            let alone = NoveltyScorer(domains: domains).nearest(Matrix(rows: 1, cols: 8, storage: Array(x.storage[(row * 8)..<((row + 1) * 8)])))
            #expect(alone[0].domain == best && abs(Double(alone[0].score) - direct[best]) <= 1e-3 * max(1, direct[best]), "row \(row) alone")
        }
    }

    /// The one-pass path adds 32, then 8 features at a time, then the rest: every split of a
    /// width gives the scores of the matrix products.
    @Test func aRowAloneScoresAsInABatchAtEveryWidth() {
        for width in [1, 7, 8, 31, 32, 45, 784] {
            let profiles = (0..<3).map { i in
                DomainProfile(name: "d\(i)", signature: DomainSignature(
                    features: gaussian(rows: 300, dimension: width, shift: Float(i) - 1, scale: 1 + Float(i) / 2, seed: UInt64(20 + i)), seed: 1))
            }
            let scorer = NoveltyScorer(domains: profiles)
            let x = gaussian(rows: 12, dimension: width, shift: 0.5, scale: 2, seed: 9)
            let batch = scorer.nearest(x)
            for row in 0..<x.rows {
                let alone = scorer.nearest(Matrix(rows: 1, cols: width, storage: Array(x.storage[(row * width)..<((row + 1) * width)])))[0]
                #expect(alone.domain == batch[row].domain, "width \(width), row \(row)")
                #expect(abs(alone.score - batch[row].score) <= 1e-4 * max(1, batch[row].score), "width \(width), row \(row): \(alone.score) vs \(batch[row].score)")
            }
        }
    }

    @Test func aDomainsOwnRowsScoreAboutOneAndFarRowsFarMore() {
        let scorer = NoveltyScorer(domains: domains)
        let own = scorer.scores(gaussian(rows: 2_000, dimension: 8, shift: 3, scale: 0.5, seed: 11))
        let far = scorer.scores(gaussian(rows: 2_000, dimension: 8, shift: 20, seed: 12))
        let ownMean = own.reduce(0, +) / Float(own.count)
        #expect(abs(ownMean - 1) < 0.1, "\(ownMean)")
        #expect(far.min() ?? 0 > 10 * ownMean)
    }

    /// Rows of huge values (legal JSON numbers) overflow the distances: they score the largest
    /// finite value, never ∞ or NaN (which a JSON answer cannot hold), and a window of them
    /// does not fit.
    @Test func rowsThatOverflowFloatScoreTheLargestFiniteValueAndDoNotFit() throws {
        let scorer = NoveltyScorer(domains: domains)
        for value: Float in [1e30, -1e20, 3.4e38] {
            let x = Matrix(rows: 32, cols: 8, storage: [Float](repeating: value, count: 32 * 8))
            let scores = scorer.scores(x)
            #expect(scores.allSatisfy { $0 == .greatestFiniteMagnitude }, "\(value): \(scores.prefix(2))")
            let one = scorer.scores(Matrix(rows: 1, cols: 8, storage: [Float](repeating: value, count: 8)))
            #expect(one == [.greatestFiniteMagnitude], "\(value), one row: \(one)")
            let verdict = try WindowTest().run(x, scorer: scorer, samples: { signatures[$0].samples }, seed: 1)
            #expect(!verdict.fits && verdict.statistic.isFinite && verdict.medianNovelty.isFinite, "\(value): \(verdict)")
        }
    }

    @Test func rocAreaIsTheShareOfPositiveNegativePairsOrderedRightTiesHalf() {
        #expect(ROC.area(positives: [3, 4], negatives: [1, 2]) == 1)
        #expect(ROC.area(positives: [1, 2], negatives: [3, 4]) == 0)
        #expect(ROC.area(positives: [1, 1], negatives: [1, 1]) == 0.5)
        // Pairs (p, n): (2,1) right, (2,3) wrong, (4,1) right, (4,3) right → 3/4.
        #expect(ROC.area(positives: [2, 4], negatives: [1, 3]) == 0.75)
        #expect(ROC.area(positives: [2, 2], negatives: [2, 1]) == 0.75)
        #expect(ROC.area(positives: [], negatives: [1]) == nil)
    }

    @Test func aMixOfKnownDomainsFitsAndAShiftedWindowDoesNot() throws {
        let scorer = NoveltyScorer(domains: domains)
        let mixed = interleaved(gaussian(rows: 96, dimension: 8, shift: -3, seed: 21),
                                gaussian(rows: 96, dimension: 8, shift: 3, scale: 0.5, seed: 22))
        let lopsided = interleaved(gaussian(rows: 160, dimension: 8, shift: -3, seed: 23),
                                   gaussian(rows: 32, dimension: 8, shift: 3, scale: 0.5, seed: 24))
        var asked: Set<Int> = []
        let samples: (Int) -> Matrix = { index in
            asked.insert(index)
            return signatures[index].samples
        }
        for (window, seed) in [(mixed, UInt64(1)), (lopsided, 2)] {
            let verdict = try WindowTest().run(window, scorer: scorer, samples: samples, seed: seed)
            #expect(verdict.fits, "\(verdict)")
        }
        let mixedVerdict = try WindowTest().run(mixed, scorer: scorer, samples: samples, seed: 3)
        #expect(mixedVerdict.shares == ["low": 0.5, "high": 0.5] && mixedVerdict.rows == 192)
        // One domain alone would refuse the mix: that is why the reference follows the shares.
        let alone = try WindowTest().run(mixed, scorer: NoveltyScorer(domains: [domains[0]]), samples: samples, seed: 4)
        #expect(!alone.fits)

        asked = []
        let shifted = gaussian(rows: 192, dimension: 8, shift: -2, seed: 25)
        let verdict = try WindowTest().run(shifted, scorer: scorer, samples: samples, seed: 5)
        #expect(!verdict.fits && verdict.nearestDomain == "low" && verdict.pValue < 0.01, "\(verdict)")
        #expect(asked == [0], "only the signatures of the domains the window is nearest to are read")
        // Seeded: the same draw and permutations. (OpenBLAS may split the kernel's products
        // differently from run to run, which moves the statistic's last bits.)
        let again = try WindowTest().run(shifted, scorer: scorer, samples: samples, seed: 5)
        #expect(again.fits == verdict.fits && again.shares == verdict.shares && again.nearestDomain == verdict.nearestDomain)
        #expect(abs(again.statistic - verdict.statistic) <= 1e-6 * abs(verdict.statistic) && abs(again.pValue - verdict.pValue) <= 0.01)
    }

    /// A domain known from fewer rows than the reference asks for gives what it has: repeating
    /// rows made its own fresh rows look foreign. (A reference of a few dozen rows can itself be
    /// atypical enough to refuse a quarter of fresh windows: 40 rows of seed 31 do.)
    @Test func aSmallDomainIsTestedAgainstItsRowsWithoutRepeats() throws {
        let small = DomainSignature(features: gaussian(rows: 150, dimension: 8, seed: 31), seed: 31)
        #expect(small.sampleCount == 150)
        let scorer = NoveltyScorer(domains: [DomainProfile(name: "small", signature: small)])
        let misses = try (0..<20).filter { seed in
            try !WindowTest().run(gaussian(rows: 64, dimension: 8, seed: 100 + UInt64(seed)), scorer: scorer,
                                  samples: { _ in small.samples }, seed: UInt64(seed)).fits
        }
        #expect(misses.count <= 2, "\(misses)")
    }

    @Test func anAlarmRingsOnceAfterKMissesInARowAndRearmsAfterAFit() {
        func verdict(_ fits: Bool) -> WindowVerdict {
            WindowVerdict(rows: 10, statistic: fits ? 0 : 1, pValue: fits ? 0.5 : 0.001, fits: fits, nearestDomain: nil,
                          shares: [:], medianNovelty: 1)
        }
        var alarm = DriftAlarm(consecutive: 3)
        let pattern = [false, false, true, false, false, false, false, false, true, false, false, false]
        let rang = pattern.indices.filter { alarm.observe(verdict(pattern[$0])) != nil }
        #expect(rang == [5, 11], "one event per run of three misses")
        var single = DriftAlarm(consecutive: 1)
        #expect(single.observe(verdict(false))?.count == 1)
    }
}
