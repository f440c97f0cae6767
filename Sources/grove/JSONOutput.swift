import Foundation

/// Prints a value as pretty JSON with sorted keys.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints the daemon's JSON answer re-indented with sorted keys (every field kept).
func printJSON(raw data: Data) throws {
    let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
    print(String(decoding: pretty, as: UTF8.self))
}
