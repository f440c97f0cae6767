import Foundation
import Testing

// MARK: - File builders

enum Fixture {
    /// An IDX file: `00 00 <dtype> <rank>`, big-endian dimensions, then `data`.
    static func idx(dtype: UInt8 = 0x08, dims: [Int], data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0, 0, dtype, UInt8(dims.count)]
        for d in dims { out += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return out + data
    }

    /// An NPY version 1.0 file with the given header fields and raw data.
    static func npy(descr: String, shape: [Int], fortran: Bool = false, data: [UInt8]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        return npy(header: "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }", data: data)
    }

    /// An NPY version 1.0 file with the given header dictionary text and raw data.
    static func npy(header dictionary: String, data: [UInt8]) -> [UInt8] {
        var header = dictionary
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + data
    }

    /// The bytes of `values`, each most significant byte first when `bigEndian`, else last.
    static func bytes<T: FixedWidthInteger>(_ values: [T], bigEndian: Bool = false) -> [UInt8] {
        values.flatMap { value in
            withUnsafeBytes(of: bigEndian ? value.bigEndian : value.littleEndian) { Array($0) }
        }
    }

    /// Little-endian float32 bytes.
    static func float32(_ values: [Float]) -> [UInt8] {
        bytes(values.map(\.bitPattern))
    }

    /// Little-endian int64 bytes.
    static func int64(_ values: [Int64]) -> [UInt8] {
        bytes(values)
    }
}

/// The message of the error `body` throws, or `nil` when it does not throw.
func errorMessage(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return "\(error)"
    }
}
