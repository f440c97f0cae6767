import Foundation
import GroveNumerics

/// Rows of features with a label each, as bytes: `count` (UInt32 LE), then the labels (Int32 LE),
/// then the features (Float32 LE).
enum LabelledRows {
    static func encode(features: [Float], labels: [Int32]) -> Data {
        var out = Data()
        withUnsafeBytes(of: UInt32(labels.count).littleEndian) { out.append(contentsOf: $0) }
        out.reserveCapacity(4 + labels.count * 4 + features.count * 4)
        #if _endian(little)
        labels.withUnsafeBytes { out.append(contentsOf: $0) }
        #else
        for l in labels { withUnsafeBytes(of: l.littleEndian) { out.append(contentsOf: $0) } }
        #endif
        out.append(FloatCoding.data(features))
        return out
    }

    static func decode(_ data: Data, dimension: Int) -> (features: [Float], labels: [Int32])? {
        guard data.count >= 4 else { return nil }
        let count = Int(data.prefix(4).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
        let labelBytes = count * 4
        guard data.count == 4 + labelBytes + count * dimension * 4 else { return nil }
        let labels = data.dropFirst(4).prefix(labelBytes).withUnsafeBytes { raw in
            (0..<count).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
        }
        guard let features = FloatCoding.floats(data.dropFirst(4 + labelBytes)) else { return nil }
        return (features, labels)
    }
}
