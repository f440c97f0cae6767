import Foundation
import GroveData
import GroveLearning
import GroveNumerics
import Testing

/// The watch on prediction inputs against the five domains of the split Fashion-MNIST stream
/// (classes {0,1}, {2,3}, … {8,9}): signatures from the first half of each domain's training
/// rows, traffic from the other half, unseen traffic the same rows rotated by 90°. Windows of
/// 256 rows, α = 0.01. Skipped without the Debian `dataset-fashion-mnist` files.
@Suite(.enabled(if: FileManager.default.fileExists(
    atPath: BuiltinStream.fashionMNISTDirectory + "/train-labels-idx1-ubyte.gz")))
struct WatchFashionMNISTTests {
    static let window = 256
    let signatures: [DomainSignature]
    let scorer: NoveltyScorer
    /// Held-back rows of every domain, shuffled together.
    let known: Matrix
    /// The same rows rotated by 90°.
    let rotated: Matrix

    init() throws {
        var registry = LabelRegistry()
        let directory = BuiltinStream.fashionMNISTDirectory
        let train = try DatasetLoader.load(path: directory + "/train-images-idx3-ubyte.gz",
                                           labelsPath: directory + "/train-labels-idx1-ubyte.gz", registry: &registry)
        var watched: [DomainProfile] = []
        var drawn: [DomainSignature] = []
        var heldBack: [Int] = []
        for pair in 0..<5 {
            let classes: Set<Int32> = [Int32(2 * pair), Int32(2 * pair + 1)]
            let rows = train.labels.indices.filter { classes.contains(train.labels[$0]) }
            let half = rows.count / 2
            drawn.append(DomainSignature(dataset: train.subset(Array(rows[..<half])), seed: UInt64(pair)))
            watched.append(DomainProfile(name: "classes-\(2 * pair)-\(2 * pair + 1)", signature: drawn[pair]))
            heldBack += rows[half...]
        }
        var rng = SeededRNG(seed: 42)
        heldBack.shuffle(using: &rng)
        let traffic = train.subset(Array(heldBack.prefix(24_000)))
        signatures = drawn
        scorer = NoveltyScorer(domains: watched)
        known = Matrix(rows: traffic.count, cols: traffic.dimension, storage: traffic.features)
        let turned = try ImageRotation.apply(degrees: 90, to: traffic)
        rotated = Matrix(rows: turned.count, cols: turned.dimension, storage: turned.features)
    }

    private func rows(_ m: Matrix, _ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, cols: m.cols, storage: Array(m.storage[(range.lowerBound * m.cols)..<(range.upperBound * m.cols)]))
    }

    private func verdicts(_ traffic: Matrix, windows: Int, seed: UInt64) throws -> [WindowVerdict] {
        try (0..<windows).map { w in
            try WindowTest().run(rows(traffic, (w * Self.window)..<((w + 1) * Self.window)), scorer: scorer,
                                 samples: { signatures[$0].samples }, seed: seed &+ UInt64(w))
        }
    }

    @Test func twentyThousandKnownRowsRaiseNoAlarm() throws {
        let windows = 20_000 / Self.window
        let found = try verdicts(known, windows: windows, seed: 1)
        let misses = found.filter { !$0.fits }.count
        var alarm = DriftAlarm(consecutive: 3)
        let events = found.compactMap { alarm.observe($0) }.count
        print("watch, known traffic: \(windows) windows, \(misses) below α (\(Double(misses) * 100 / Double(windows)) per 100), \(events) drift events; p min \(found.map(\.pValue).min() ?? .nan)")
        #expect(events == 0)
        #expect(misses <= 3, "at α = 0.01 about one window in a hundred falls below by chance")
    }

    @Test func rotatedRowsRaiseAnEventWithinTwoThousandRows() throws {
        let found = try verdicts(rotated, windows: 8, seed: 2)
        var alarm = DriftAlarm(consecutive: 3)
        let fired = found.indices.first { alarm.observe(found[$0]) != nil }
        let rowsUntil = fired.map { ($0 + 1) * Self.window }
        print("watch, rotated traffic: p \(found.map(\.pValue)), event after \(rowsUntil.map(String.init) ?? "never") rows")
        #expect((rowsUntil ?? .max) <= 2_000)
    }

    @Test func aHalfRotatedMixRaisesAnEventToo() throws {
        let mixed = Matrix(rows: 8 * Self.window, cols: known.cols, storage: (0..<(8 * Self.window)).flatMap { row in
            let source = row % 2 == 0 ? known : rotated
            return source.storage[((10_000 + row) * known.cols)..<((10_001 + row) * known.cols)]
        })
        let found = try verdicts(mixed, windows: 8, seed: 3)
        var alarm = DriftAlarm(consecutive: 3)
        let fired = found.indices.first { alarm.observe(found[$0]) != nil }
        print("watch, 50/50 traffic: p \(found.map(\.pValue)), event after \(fired.map { String(($0 + 1) * Self.window) } ?? "never") rows")
        #expect(fired != nil)
    }

    @Test func noveltyScoresSeparateKnownFromRotatedRows() throws {
        let knownScores = scorer.scores(rows(known, 0..<4_000))
        let rotatedScores = scorer.scores(rows(rotated, 0..<4_000))
        let auc = try #require(ROC.area(positives: rotatedScores, negatives: knownScores))
        func quartiles(_ s: [Float]) -> String {
            let sorted = s.sorted()
            return [0.25, 0.5, 0.75, 0.95].map { String(format: "%.2f", sorted[Int(Double(sorted.count - 1) * $0)]) }.joined(separator: "/")
        }
        print("novelty quartiles (25/50/75/95 %): known \(quartiles(knownScores)), rotated \(quartiles(rotatedScores)); ROC AUC \(auc)")
        #expect(auc >= 0.8, "0.82 measured; the nearest of 256 signature rows per domain does no better than 0.85: a rotated bag still looks like a bag")
    }
}
