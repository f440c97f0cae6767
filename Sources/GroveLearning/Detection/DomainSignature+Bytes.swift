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
        let decoded: DomainSignature
        if bytes.first == UInt8(ascii: "{") {
            guard let json = try? JSONDecoder().decode(DomainSignature.self, from: bytes) else { return nil }
            decoded = json
        } else {
            guard let binary = Self.decodeBinary(bytes) else { return nil }
            decoded = binary
        }
        guard decoded.dimension >= 0, decoded.sampleCount >= 0, decoded.sampleCount <= decoded.sourceCount,
              decoded.mean.count == decoded.dimension,
              decoded.sampleValues.count == decoded.sampleCount * decoded.dimension else { return nil }
        self = decoded
    }

    private static func decodeBinary(_ bytes: Data) -> DomainSignature? {
        let header = magic.count + 4 * 8
        guard bytes.count >= header, bytes.prefix(magic.count).elementsEqual(magic) else { return nil }
        let fields = bytes.dropFirst(magic.count).prefix(32).withUnsafeBytes { raw in
            (0..<4).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
        // Both counts fit the payload's length, so their product cannot overflow.
        let payloadValues = UInt64((bytes.count - header) / 4)
        guard fields[0] <= payloadValues, fields[1] <= payloadValues, fields[2] <= UInt64(Int.max),
              let values = FloatCoding.floats(bytes.dropFirst(header)) else { return nil }
        let dimension = Int(fields[0]), sampleCount = Int(fields[1])
        let (sampleFloats, overflow) = sampleCount.multipliedReportingOverflow(by: dimension)
        guard !overflow, values.count == sampleFloats + dimension else { return nil }
        return DomainSignature(dimension: dimension, sampleCount: sampleCount, sourceCount: Int(fields[2]), seed: fields[3],
                               sampleValues: Array(values[..<sampleFloats]), mean: Array(values[sampleFloats...]))
    }
}
