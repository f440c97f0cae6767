import Foundation
import GroveNumerics

extension DomainSignature {
    /// The first bytes of the binary form.
    static let magic = Data("GSG1".utf8)

    /// The signature as bytes: "GSG1", then dimension, sample count, source count and seed
    /// (UInt64 LE each), the reference sample and the mean (Float32 LE).
    public var bytes: Data {
        var out = Self.magic
        for field in [UInt64(dimension), UInt64(sampleCount), UInt64(sourceCount), seed] {
            withUnsafeBytes(of: field.littleEndian) { out.append(contentsOf: $0) }
        }
        out.append(FloatCoding.data(sampleValues))
        out.append(FloatCoding.data(mean))
        return out
    }

    /// A signature from `bytes`, or from the JSON that stores written before the binary form;
    /// nil when the bytes are neither or their counts disagree.
    public init?(bytes: Data) {
        if bytes.first == UInt8(ascii: "{") {
            guard let decoded = try? JSONDecoder().decode(DomainSignature.self, from: bytes) else { return nil }
            self = decoded
            return
        }
        let header = Self.magic.count + 4 * 8
        guard bytes.count >= header, bytes.prefix(Self.magic.count) == Self.magic else { return nil }
        let fields = bytes.dropFirst(Self.magic.count).prefix(32).withUnsafeBytes { raw in
            (0..<4).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
        guard fields[0] <= UInt64(Int32.max), fields[1] <= UInt64(Int32.max), fields[2] <= UInt64(Int.max) else { return nil }
        let dimension = Int(fields[0]), sampleCount = Int(fields[1])
        guard let values = FloatCoding.floats(Data(bytes.dropFirst(header))),
              values.count == (sampleCount + 1) * dimension else { return nil }
        self.init(dimension: dimension, sampleCount: sampleCount, sourceCount: Int(fields[2]), seed: fields[3],
                  sampleValues: Array(values[..<(sampleCount * dimension)]), mean: Array(values[(sampleCount * dimension)...]))
    }
}
