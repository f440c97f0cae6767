import GroveNumerics

/// A bounded, uniform sample of one domain's training data for replay (Vitter 1985,
/// "Random Sampling with a Reservoir", algorithm R).
///
/// After `seen` samples have been offered, each is in the reservoir with probability
/// `capacity / seen`. Seeded, so the same stream gives the same reservoir.
public struct ReplayReservoir: Sendable, Equatable {
    /// Most samples kept.
    public let capacity: Int
    /// Features per sample.
    public let dimension: Int
    /// Kept samples, row-major.
    public private(set) var features: [Float] = []
    /// Kept labels (model-wide class indices).
    public private(set) var labels: [Int32] = []
    /// Samples offered so far.
    public private(set) var seen = 0
    private var rng: SeededRNG

    /// An empty reservoir.
    public init(capacity: Int, dimension: Int, seed: UInt64) {
        self.capacity = capacity
        self.dimension = dimension
        self.rng = SeededRNG(seed: seed)
    }

    /// A reservoir restored from its parts (see `LearnerSnapshot`).
    init(capacity: Int, dimension: Int, features: [Float], labels: [Int32], seen: Int, rng: SeededRNG) {
        self.capacity = capacity
        self.dimension = dimension
        self.features = features
        self.labels = labels
        self.seen = seen
        self.rng = rng
    }

    /// The generator state, so that a restored reservoir continues the same sequence.
    var generator: SeededRNG { rng }

    /// Number of kept samples.
    public var count: Int { labels.count }

    /// The kept samples as a matrix.
    public var matrix: Matrix { Matrix(rows: count, cols: dimension, storage: features) }

    /// Offers every row of `x` with its label, in the order `order` gives (row order when nil).
    public mutating func offer(_ x: Matrix, labels y: [Int32], order: [Int]? = nil) {
        precondition(x.cols == dimension, "reservoir of \(dimension) features offered \(x.cols)")
        for r in order ?? Array(0..<x.rows) {
            seen += 1
            if count < capacity {
                features.append(contentsOf: x.row(r))
                labels.append(y[r])
            } else {
                let slot = Int(rng.next() % UInt64(seen))
                if slot < capacity {
                    features.replaceSubrange((slot * dimension)..<((slot + 1) * dimension), with: x.row(r))
                    labels[slot] = y[r]
                }
            }
        }
    }
}
