#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotation of square grey-scale images (rotated-MNIST-style streams).
///
/// Each output pixel samples the input at the inverse-rotated position about the image centre
/// with bilinear interpolation; positions outside the image read as 0 (background). A positive
/// angle turns the picture counter-clockwise as displayed (row 0 at the top).
public enum ImageRotation {
    /// The dataset with every sample rotated by `degrees`.
    ///
    /// Samples must be square images: `dimension == side * side` (784 = 28 x 28).
    /// - Throws: ``DatasetError/notSquareImages(file:dimension:)`` otherwise.
    public static func apply(degrees: Double, to dataset: Dataset) throws -> Dataset {
        let d = dataset.dimension
        let side = Int(Double(d).squareRoot().rounded())
        guard side * side == d else {
            throw DatasetError.notSquareImages(file: dataset.source, dimension: d)
        }
        if degrees.truncatingRemainder(dividingBy: 360) == 0 { return dataset }
        let taps = bilinearTaps(side: side, degrees: degrees)
        var out = dataset
        out.features.withUnsafeMutableBufferPointer { dst in
            dataset.features.withUnsafeBufferPointer { src in
                for row in 0 ..< dataset.count {
                    let base = row * d
                    for j in 0 ..< d {
                        var value: Float = 0
                        for tap in taps[j] { value += tap.weight * src[base + tap.index] }
                        dst[base + j] = value
                    }
                }
            }
        }
        return out
    }

    /// One input pixel and its bilinear weight.
    struct Tap {
        var index: Int
        var weight: Float
    }

    /// For each output pixel, the (up to four) input pixels it interpolates, computed once.
    static func bilinearTaps(side: Int, degrees: Double) -> [[Tap]] {
        let theta = degrees * Double.pi / 180
        let (c, s) = (cos(theta), sin(theta))
        let centre = Double(side - 1) / 2
        var taps: [[Tap]] = []
        taps.reserveCapacity(side * side)
        for y in 0 ..< side {
            for x in 0 ..< side {
                // Inverse rotation in display coordinates (y grows downwards).
                let dx = Double(x) - centre, dy = centre - Double(y)
                let sx = c * dx + s * dy + centre
                let sy = centre - (-s * dx + c * dy)
                let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                let fx = sx - Double(x0), fy = sy - Double(y0)
                var pixel: [Tap] = []
                for (yy, wy) in [(y0, 1 - fy), (y0 + 1, fy)] {
                    for (xx, wx) in [(x0, 1 - fx), (x0 + 1, fx)] {
                        let w = wx * wy
                        guard w > 1e-9, xx >= 0, xx < side, yy >= 0, yy < side else { continue }
                        pixel.append(Tap(index: yy * side + xx, weight: Float(w)))
                    }
                }
                taps.append(pixel)
            }
        }
        return taps
    }
}
