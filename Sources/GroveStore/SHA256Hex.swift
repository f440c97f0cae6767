import Crypto
import Foundation

/// Lowercase hexadecimal SHA-256 digests, the names of blobs.
package enum SHA256Hex {
    /// The 64-digit lowercase hex SHA-256 of `data`.
    package static func digest(_ data: Data) -> String {
        let digest = SHA256.hash(data: data)
        var hex = ""
        hex.reserveCapacity(64)
        for byte in digest {
            hex += String(byte, radix: 16).leftPadded(to: 2)
        }
        return hex
    }

    /// Whether `text` looks like a digest: 64 lowercase hex digits.
    package static func isValid(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
