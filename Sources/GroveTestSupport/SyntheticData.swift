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
}
