/// A small, fast, seeded pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed always gives the same sequence on every platform, which makes training runs,
/// splits and permutations reproducible. Not cryptographically secure.
///
/// Follows Blackman & Vigna, "Scrambled Linear Pseudorandom Number Generators" (2018).
public struct SeededRNG: RandomNumberGenerator, Sendable, Equatable, Codable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        nextBits()
    }

    @usableFromInline
    mutating func nextBits() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 &- k))
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextUnitFloat() -> Float {
        Float(nextBits() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal sample (Box–Muller; one of the pair is discarded for simplicity).
    public mutating func nextGaussian() -> Float {
        let (radius, angle) = nextPolarGaussian()
        return radius * cosf(angle)
    }

    /// One Box–Muller draw in polar form: `radius·cos(angle)` and `radius·sin(angle)` are two
    /// independent standard normal samples.
    private mutating func nextPolarGaussian() -> (radius: Float, angle: Float) {
        var u1 = nextUnitFloat()
        while u1 <= Float.leastNormalMagnitude { u1 = nextUnitFloat() }
        return ((-2 * logf(u1)).squareRoot(), 2 * Float.pi * nextUnitFloat())
    }

    /// Adds `scale` times a standard normal sample to each of `count` values, using both
    /// values of every Box–Muller pair (half the logarithms and uniform draws of
    /// ``nextGaussian()`` per value; noisy routing draws one per gate logit).
    public mutating func addGaussian(scale: Float, to values: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i < count {
            let (unit, angle) = nextPolarGaussian()
            let radius = scale * unit
            values[i] += radius * cosf(angle)
            if i + 1 < count { values[i + 1] += radius * sinf(angle) }
            i += 2
        }
    }

    /// A generator for an independent stream derived from this seed and a label, such as an
    /// expert index, so that adding a consumer does not shift every other consumer's numbers.
    public static func derived(seed: UInt64, stream: UInt64) -> SeededRNG {
        SeededRNG(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ 0x5851_F42D_4C95_7F2D)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
