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

    /// The SHA-256 of the file at `url`, read in 1 MiB chunks (never mapped, never held whole),
    /// or nil when the file is empty.
    /// - Throws: the file system's error when it cannot be read.
    public static func sha256(ofFileAt url: URL) throws -> String? {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var total = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            total += chunk.count
        }
        guard total > 0 else { return nil }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
