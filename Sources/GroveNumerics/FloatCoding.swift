import Foundation

/// `[Float]` to and from little-endian IEEE-754 bytes, the on-disk form of weights and samples.
public enum FloatCoding {
    /// The little-endian bytes of `values`, 4 per value.
    public static func data(_ values: [Float]) -> Data {
        var out = Data(count: values.count * 4)
        out.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        return out
    }

    /// The values of little-endian bytes; nil when the byte count is not a multiple of 4.
    public static func floats(_ data: Data) -> [Float]? {
        guard data.count % 4 == 0 else { return nil }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { i in
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
            }
        }
    }
}
