import GroveNumerics

/// A window of prediction rows: the first `capacity` rows offered, then a uniform sample of
/// every row offered since it started: each further row replaces a random one with
/// probability `capacity / offered` (reservoir sampling, Vitter's algorithm R). Its memory
/// stays `capacity` rows however many are offered.
struct RowReservoir: Sendable {
    /// Rows the window holds when full.
    let capacity: Int
    /// Features per row.
    let width: Int
    /// The rows held, row-major.
    private(set) var storage: [Float] = []
    /// Rows held, at most ``capacity``.
    private(set) var count = 0
    /// Rows offered since the window started.
    private(set) var offered = 0
    private var sampler: SeededRNG
    /// Emptied buffers of windows already tested, taken up by later windows so that filling
    /// one allocates nothing and touches pages already mapped: a fresh buffer costs a page
    /// fault every row or two, which showed in the 99th percentile of predictions. At most
    /// ``keptSpares``, so the watch holds no more buffers than its fullest queue did.
    private var spares: [[Float]] = []
    /// The most emptied buffers kept.
    let keptSpares: Int

    /// An empty window of `capacity` rows of `width` features, sampling with `seed`, which
    /// keeps up to `keptSpares` emptied buffers for later windows.
    init(capacity: Int, width: Int, seed: UInt64, keptSpares: Int = 1) {
        self.capacity = capacity
        self.width = width
        self.keptSpares = keptSpares
        sampler = SeededRNG(seed: seed)
    }

    /// Whether it holds ``capacity`` rows.
    var isFull: Bool { count == capacity }

    /// Offers rows `range` of the row-major `rows` (each ``width`` features).
    mutating func offer(_ rows: [Float], _ range: Range<Int>) {
        var row = range.lowerBound
        if count < capacity {
            if storage.isEmpty, let spare = spares.popLast() { storage = spare }
            if storage.capacity < capacity * width { storage.reserveCapacity(capacity * width) }
            let take = min(range.count, capacity - count)
            storage.append(contentsOf: rows[(row * width)..<((row + take) * width)])
            count += take
            offered += take
            row += take
        }
        guard row < range.upperBound else { return }
        let width = self.width
        storage.withUnsafeMutableBufferPointer { window in
            rows.withUnsafeBufferPointer { source in
                while row < range.upperBound {
                    offered += 1
                    let slot = Int(sampler.next() % UInt64(offered))
                    if slot < capacity {
                        for feature in 0..<width { window[slot * width + feature] = source[row * width + feature] }
                    }
                    row += 1
                }
            }
        }
    }

    /// Keeps `emptied`, the buffer of a window already tested and emptied with its capacity
    /// kept, for a later window to fill (unless ``keptSpares`` are kept already).
    mutating func recycle(_ emptied: [Float]) {
        if emptied.isEmpty, emptied.capacity >= capacity * width, spares.count < keptSpares { spares.append(emptied) }
    }

    /// The rows held, leaving the window empty.
    mutating func take() -> [Float] {
        let taken = storage
        storage = []
        count = 0
        offered = 0
        return taken
    }
}
