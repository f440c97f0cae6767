import GroveNumerics

/// Small seeded datasets for tests.
public enum SyntheticData {
    /// `rows` samples of `dimension` features in N(0, 1) and labels in `0..<classes`.
    public static func gaussian(rows: Int, dimension: Int, classes: Int, seed: UInt64) -> (x: Matrix, y: [Int32]) {
        var rng = SeededRNG(seed: seed)
        let x = Matrix.gaussian(rows: rows, cols: dimension, std: 1, rng: &rng)
        let y = (0..<rows).map { _ in Int32(rng.next() % UInt64(classes)) }
        return (x, y)
    }

    /// Gaussian blobs: class c centred at a random point scaled by `separation`, unit noise.
    public static func blobs(rows: Int, dimension: Int, classes: Int, separation: Float, seed: UInt64) -> (x: Matrix, y: [Int32]) {
        var rng = SeededRNG(seed: seed)
        let centres = Matrix.gaussian(rows: classes, cols: dimension, std: separation, rng: &rng)
        var x = Matrix(rows: rows, cols: dimension)
        var y = [Int32](repeating: 0, count: rows)
        for r in 0..<rows {
            let c = Int(rng.next() % UInt64(classes))
            y[r] = Int32(c)
            for d in 0..<dimension { x[r, d] = centres[c, d] + rng.nextGaussian() }
        }
        return (x, y)
    }

    /// Samples of Gaussian blobs for `classes` in a region of input space set by `region`:
    /// different regions are different distributions (domains), the same region and classes with
    /// another `seed` are a second sample of one distribution. Class centres spread around the
    /// region's offset with standard deviation `centreSpread` (unit noise around each centre), so
    /// a small spread makes classes overlap.
    public static func region(classes: [Int32], region: UInt64, rows: Int, dimension d: Int = 20, centreSpread: Float = 2.5, seed: UInt64) -> (features: [Float], labels: [Int32]) {
        var centreRNG = SeededRNG(seed: 1000 + region)
        let offset = (0..<d).map { _ in centreRNG.nextGaussian() * 3 }
        let centres = classes.map { _ in (0..<d).map { _ in centreRNG.nextGaussian() * centreSpread } }
        var rng = SeededRNG(seed: seed)
        var features: [Float] = []
        var labels: [Int32] = []
        for _ in 0..<rows {
            let c = Int(rng.next() % UInt64(classes.count))
            for j in 0..<d { features.append(offset[j] + centres[c][j] + rng.nextGaussian()) }
            labels.append(classes[c])
        }
        return (features, labels)
    }

    /// Two classes of domain `domain` (labels `2·domain` and `2·domain + 1`) on a line: every
    /// feature of the domain is centred at `domain · spacing`, and the classes lie 2 either side on
    /// alternating features. The middle one of three such domains can only be told apart from
    /// both neighbours by a gate whose logits are not monotone along the line.
    public static func line(domain: Int, spacing: Float, rows: Int, dimension d: Int = 20, seed: UInt64) -> (features: [Float], labels: [Int32]) {
        var rng = SeededRNG(seed: seed &+ UInt64(domain) &* 1_000_003)
        var features: [Float] = []
        var labels: [Int32] = []
        features.reserveCapacity(rows * d)
        for r in 0..<rows {
            let c = r % 2
            for j in 0..<d {
                features.append(Float(domain) * spacing + (c == 0 ? -2 : 2) * (j % 2 == 0 ? 1 : -1) + rng.nextGaussian())
            }
            labels.append(Int32(2 * domain + c))
        }
        return (features, labels)
    }
}
