import Crypto
import Foundation

/// SHA-256 digests of weights and other byte blobs, as lower-case hex.
public enum Checksum {
    /// The SHA-256 of `data` as 64 lower-case hex digits.
    public static func sha256(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The SHA-256 of the exact bytes of `values` (native Float32 bit patterns).
    public static func sha256(floats values: [Float]) -> String {
        values.withUnsafeBytes { sha256(Data($0)) }
    }
}
