import Foundation
import GroveNumerics

/// Writes the safetensors format (huggingface/safetensors): an 8-byte little-endian header
/// length, a JSON header naming each tensor's dtype, shape and byte range, then the tensors'
/// little-endian bytes back to back. Any framework's safetensors reader loads the result.
public enum SafetensorsWriter {
    /// One named tensor.
    public struct Tensor: Sendable {
        /// Its name in the file.
        public var name: String
        /// Its dimensions, row-major.
        public var shape: [Int]
        /// Its values.
        public var values: Values

        /// The element types written.
        public enum Values: Sendable {
            case float32([Float])
            case int32([Int32])
        }

        /// A tensor named `name` of `shape` holding `values` (as many as the shape has elements).
        public init(name: String, shape: [Int], values: Values) {
            self.name = name
            self.shape = shape
            self.values = values
        }

        var dtype: String {
            switch values {
            case .float32: "F32"
            case .int32: "I32"
            }
        }

        var count: Int {
            switch values {
            case .float32(let v): v.count
            case .int32(let v): v.count
            }
        }
    }

    /// The file's bytes: `tensors` in name order, and `metadata` as the header's `__metadata__`
    /// (string to string, as the format requires). The header is padded with spaces to a
    /// multiple of 8 bytes, so every tensor starts aligned.
    /// - Precondition: names are unique, not `__metadata__`, and each shape matches its values.
    public static func encode(_ tensors: [Tensor], metadata: [String: String]) throws -> Data {
        let sorted = tensors.sorted { $0.name < $1.name }
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        for tensor in sorted {
            precondition(tensor.shape.reduce(1, *) == tensor.count && tensor.name != "__metadata__", "tensor \(tensor.name): shape \(tensor.shape) for \(tensor.count) values")
            header[tensor.name] = ["dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [offset, offset + 4 * tensor.count]]
            offset += 4 * tensor.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var data = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for tensor in sorted {
            switch tensor.values {
            case .float32(let values):
                data.append(FloatCoding.data(values))
            case .int32(let values):
                values.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
            }
        }
        return data
    }
}
