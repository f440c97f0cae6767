import GroveNumerics

/// Seeded draws without replacement, shared by signatures and the detector.
///
/// A partial Fisher–Yates shuffle (Knuth, TAOCP vol. 2, Algorithm P, stopped after `k` steps)
/// with bounded draws taken as the high word of `next() * range` (Lemire 2019, without the
/// rejection step), so the choice depends on the seed alone, never on the standard library.
enum SeededSubsample {
    /// `min(k, count)` distinct indices of `0..<count`, in ascending order.
    static func indices(count: Int, choose k: Int, rng: inout SeededRNG) -> [Int] {
        let take = max(0, min(k, count))
        guard take < count else { return Array(0 ..< count) }
        var pool = Array(0 ..< count)
        for i in 0 ..< take {
            let j = i + Int(UInt64(count - i).multipliedFullWidth(by: rng.next()).high)
            pool.swapAt(i, j)
        }
        return pool[0 ..< take].sorted()
    }

    /// A seeded random order of `0..<count` (a full Fisher–Yates shuffle with the same draws).
    static func permutation(count: Int, rng: inout SeededRNG) -> [Int] {
        var order = Array(0 ..< count)
        for i in 0 ..< max(0, count - 1) {
            let j = i + Int(UInt64(count - i).multipliedFullWidth(by: rng.next()).high)
            order.swapAt(i, j)
        }
        return order
    }

    /// The rows `indices` of a row-major `rows x dimension` buffer, packed row after row.
    static func gather(_ source: UnsafeBufferPointer<Float>, dimension: Int, rows indices: [Int]) -> [Float] {
        [Float](unsafeUninitializedCapacity: indices.count * dimension) { out, initialized in
            if let from = source.baseAddress, let to = out.baseAddress {
                for (k, r) in indices.enumerated() {
                    (to + k * dimension).initialize(from: from + r * dimension, count: dimension)
                }
            }
            initialized = indices.count * dimension
        }
    }

    /// A bounded seeded subsample of a row-major buffer: all rows when there are at most `k`.
    static func rows(_ storage: [Float], rows: Int, dimension: Int, atMost k: Int, rng: inout SeededRNG) -> (values: [Float], rows: Int) {
        guard rows > k else { return (storage, rows) }
        let chosen = indices(count: rows, choose: k, rng: &rng)
        let values = storage.withUnsafeBufferPointer { gather($0, dimension: dimension, rows: chosen) }
        return (values, chosen.count)
    }
}
