import GroveNumerics

/// Fixed, seeded pixel permutations for permuted-MNIST-style streams.
///
/// The permutation for a seed is a deterministic function of that seed alone: a Fisher–Yates
/// shuffle (Knuth, TAOCP vol. 2, Algorithm P) of `0..<count` driven by `SeededRNG(seed:)`, with
/// bounded draws taken as the high word of `next() * (i + 1)` (Lemire 2019, without the
/// rejection step, so the sequence never depends on the standard library's implementation).
///
/// ```swift
/// let p = PixelPermutation.make(seed: 3, count: 784)   // same 784 indices on every run
/// let permuted = try PixelPermutation.apply(p, to: identityDomain)
/// ```
public enum PixelPermutation {
    /// The permutation of `0..<count` for `seed`; `result[j]` is the source pixel of pixel `j`.
    public static func make(seed: UInt64, count: Int) -> [Int] {
        var indices = Array(0 ..< count)
        var rng = SeededRNG(seed: seed)
        shuffle(&indices, using: &rng)
        return indices
    }

    /// Shuffles `values` in place with Fisher–Yates and a seeded generator.
    static func shuffle<T>(_ values: inout [T], using rng: inout SeededRNG) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, through: 1, by: -1) {
            let j = Int(UInt64(i + 1).multipliedFullWidth(by: rng.next()).high)
            values.swapAt(i, j)
        }
    }

    /// The dataset with every sample's features reordered: `out[j] = in[permutation[j]]`.
    /// - Throws: ``DatasetError/permutationSizeMismatch(file:dimension:permutation:)`` when the
    ///   permutation's length is not the dataset's dimension.
    public static func apply(_ permutation: [Int], to dataset: Dataset) throws -> Dataset {
        let d = dataset.dimension
        guard permutation.count == d, Set(permutation) == Set(0 ..< d) else {
            throw DatasetError.permutationSizeMismatch(
                file: dataset.source, dimension: d, permutation: permutation.count)
        }
        var out = dataset
        out.features.withUnsafeMutableBufferPointer { dst in
            dataset.features.withUnsafeBufferPointer { src in
                permutation.withUnsafeBufferPointer { perm in
                    for row in 0 ..< dataset.count {
                        let base = row * d
                        for j in 0 ..< d { dst[base + j] = src[base + perm[j]] }
                    }
                }
            }
        }
        return out
    }
}
