import Foundation
import GroveNumerics

/// Seeded image-like samples with integer values 0...255, so that every dataset format stores
/// them exactly, and writers that save the same samples in each format Grove reads.
struct PixelSamples {
    /// Row-major values, `count * dimension`.
    var values: [UInt8]
    /// One label per sample.
    var labels: [Int]
    /// Values per sample: 16, a 4 x 4 image.
    var dimension: Int { 16 }
    /// Number of samples.
    var count: Int { labels.count }

    /// `count` samples of the classes `classes`: each class has its own seeded 4 x 4 pattern,
    /// and every sample adds seeded noise, clamped to 0...255.
    init(count: Int, classes: ClosedRange<Int>, seed: UInt64) {
        var rng = SeededRNG(seed: seed)
        let patterns = classes.map { _ in (0 ..< 16).map { _ in Int(rng.next() % 256) } }
        var values: [UInt8] = []
        var labels: [Int] = []
        for _ in 0 ..< count {
            let c = Int(rng.next() % UInt64(classes.count))
            for j in 0 ..< 16 { values.append(UInt8(clamping: patterns[c][j] + Int(rng.next() % 81) - 40)) }
            labels.append(classes.lowerBound + c)
        }
        self.values = values
        self.labels = labels
    }
}

/// The ways the test stores samples: every text format, and binary ones of several element
/// types, byte orders, ranks and label encodings.
enum StoredFormat: String, CaseIterable, Sendable {
    case csv, jsonl
    case npyUInt8, npyFloat32, npyFloat64, npyInt32, npyBigEndianFloat32Images
    case idxUInt8Images, idxFloat32

    /// Writes `samples` into `directory` as files named after `name`; returns the features
    /// path and, for the binary formats, the labels path.
    func write(_ samples: PixelSamples, to directory: String, name: String) throws -> (path: String, labels: String?) {
        let base = "\(directory)/\(name)-\(rawValue)"
        let n = samples.count, d = samples.dimension
        let floats = samples.values.map(Float.init)
        let labels = samples.labels
        func save(_ suffix: String, _ bytes: [UInt8]) throws -> String {
            try Data(bytes).write(to: URL(fileURLWithPath: base + suffix))
            return base + suffix
        }
        switch self {
        case .csv:
            let header = (0 ..< d).map { "x\($0)" }.joined(separator: ",") + ",label\n"
            let rows = (0 ..< n).map { i in
                samples.values[i * d ..< (i + 1) * d].map(String.init).joined(separator: ",") + ",\(labels[i])\n"
            }
            return (try save(".csv", Array((header + rows.joined()).utf8)), nil)
        case .jsonl:
            let lines = (0 ..< n).map { i in
                "{\"x\": [" + samples.values[i * d ..< (i + 1) * d].map(String.init).joined(separator: ", ") + "], \"y\": \(labels[i])}\n"
            }
            return (try save(".jsonl", Array(lines.joined().utf8)), nil)
        case .npyUInt8:
            return (try save(".npy", npy("|u1", [n, d], samples.values)),
                    try save("-labels.npy", npy("<i8", [n], bytes(labels.map(Int64.init)))))
        case .npyFloat32:
            return (try save(".npy", npy("<f4", [n, d], bytes(floats.map(\.bitPattern)))),
                    try save("-labels.txt", Array(labels.map { "\($0)\n" }.joined().utf8)))
        case .npyFloat64:
            return (try save(".npy", npy("<f8", [n, d], bytes(floats.map { Double($0).bitPattern }))),
                    try save("-labels.npy", npy(">i4", [n], bytes(labels.map(Int32.init), bigEndian: true))))
        case .npyInt32:
            return (try save(".npy", npy("<i4", [n, d], bytes(samples.values.map(Int32.init)))),
                    try save("-labels.npy", npy("|u1", [n], labels.map { UInt8($0) })))
        case .npyBigEndianFloat32Images:
            return (try save(".npy", npy(">f4", [n, 4, 4], bytes(floats.map(\.bitPattern), bigEndian: true))),
                    try save("-labels.npy", npy(">u2", [n], bytes(labels.map { UInt16($0) }, bigEndian: true))))
        case .idxUInt8Images:
            return (try save(".idx", idx(0x08, [n, 4, 4], samples.values)),
                    try save("-labels.idx", idx(0x08, [n], labels.map { UInt8($0) })))
        case .idxFloat32:
            return (try save(".idx", idx(0x0D, [n, d], bytes(floats.map(\.bitPattern), bigEndian: true))),
                    try save("-labels.idx", idx(0x0C, [n], bytes(labels.map(Int32.init), bigEndian: true))))
        }
    }

    private func bytes<T: FixedWidthInteger>(_ values: [T], bigEndian: Bool = false) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: bigEndian ? value.bigEndian : value.littleEndian) { Array($0) } }
    }

    /// An NPY 1.0 file, as `np.save` writes it.
    private func npy(_ descr: String, _ shape: [Int], _ data: [UInt8]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + data
    }

    /// An IDX file: `00 00 <type> <rank>`, big-endian dimensions, then the data.
    private func idx(_ type: UInt8, _ dims: [Int], _ data: [UInt8]) -> [UInt8] {
        [0, 0, type, UInt8(dims.count)] + bytes(dims.map { UInt32($0) }, bigEndian: true) + data
    }
}
