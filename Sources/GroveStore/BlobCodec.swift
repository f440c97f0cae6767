import CZlib
import Foundation

/// How a blob's payload is kept in the `blobs` table: as is (`identity`), or deflated behind
/// an 8-byte little-endian length of the payload (`deflate`). A blob's name is always the
/// SHA-256 of the payload itself, checked again after every read.
///
/// Large data blobs (a dataset's held-out split, a whole replay reservoir: written once, rarely
/// read) are deflated at level 1: image data shrinks about 4.5× at some 150 MB/s. Blobs of at
/// most 1 MiB — the learner's chunks of replay and held-out rows and its signatures, which phases
/// read again and again — stay as they are, so that reading one costs a copy and a hash, not an
/// inflate; so do weights, which barely compress.
package enum BlobCodec {
    /// The `encoding` of a payload kept as is.
    static let identity = "identity"
    /// The `encoding` of a deflated payload.
    static let deflate = "deflate"

    /// Payloads up to this size are kept as they are.
    static let largestPlainSize = 1 << 20

    /// The stored bytes and their encoding for a payload of `kind`. Deflate is kept only when
    /// it saves at least a tenth.
    package static func encode(_ payload: Data, kind: BlobKind) -> (encoding: String, bytes: Data) {
        guard [.replay, .split, .signature].contains(kind), payload.count > largestPlainSize,
              let deflated = deflated(payload), deflated.count < payload.count - payload.count / 10
        else { return (identity, payload) }
        return (deflate, deflated)
    }

    /// The payload of a stored blob (`nil`: none of that name), decoded and checked against its name.
    /// - Throws: `StoreError.blobNotFound`, `.blobUndecodable` or `.blobCorrupted`.
    package static func verifiedPayload(of stored: (encoding: String, bytes: Data)?, sha256: String) throws -> Data {
        guard let stored else {
            throw StoreError.blobNotFound(sha256: sha256)
        }
        let data = try decode(stored.bytes, encoding: stored.encoding, sha256: sha256)
        let actual = SHA256Hex.digest(data)
        guard actual == sha256 else {
            throw StoreError.blobCorrupted(sha256: sha256, actual: actual)
        }
        return data
    }

    /// The payload of stored `bytes` in `encoding`.
    /// - Throws: `StoreError.blobUndecodable` when the bytes do not inflate.
    package static func decode(_ bytes: Data, encoding: String, sha256: String) throws -> Data {
        switch encoding {
        case identity:
            return bytes
        case deflate:
            guard let payload = inflated(bytes) else {
                throw StoreError.blobUndecodable(sha256: sha256, reason: "its deflate stream does not inflate")
            }
            return payload
        default:
            throw StoreError.blobUndecodable(sha256: sha256, reason: "unknown encoding '\(encoding)'")
        }
    }

    /// `[length (UInt64 LE)][zlib stream]`, or nil if zlib fails.
    private static func deflated(_ payload: Data) -> Data? {
        var bound = compressBound(uLong(payload.count))
        var out = Data(count: 8 + Int(bound))
        let status = out.withUnsafeMutableBytes { dst -> Int32 in
            payload.withUnsafeBytes { src -> Int32 in
                guard let d = dst.baseAddress, let s = src.baseAddress else { return Z_BUF_ERROR }
                d.storeBytes(of: UInt64(payload.count).littleEndian, as: UInt64.self)
                return compress2(d.advanced(by: 8).assumingMemoryBound(to: Bytef.self), &bound,
                                 s.assumingMemoryBound(to: Bytef.self), uLong(payload.count), 1)
            }
        }
        guard status == Z_OK else { return nil }
        out.count = 8 + Int(bound)
        return out
    }

    /// The payload of `[length][zlib stream]`, or nil if the bytes are not that.
    private static func inflated(_ bytes: Data) -> Data? {
        guard bytes.count > 8 else { return nil }
        let length = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= UInt64(Int.max / 2) else { return nil }
        var out = Data(count: Int(length))
        var produced = uLong(length)
        let status = out.withUnsafeMutableBytes { dst -> Int32 in
            bytes.withUnsafeBytes { src -> Int32 in
                guard let s = src.baseAddress else { return Z_DATA_ERROR }
                let d = dst.baseAddress ?? UnsafeMutableRawPointer(mutating: s)
                return uncompress(d.assumingMemoryBound(to: Bytef.self), &produced,
                                  s.advanced(by: 8).assumingMemoryBound(to: Bytef.self), uLong(bytes.count - 8))
            }
        }
        guard status == Z_OK, produced == uLong(length) else { return nil }
        return out
    }
}
