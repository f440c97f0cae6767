import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reading with transparent gzip inflation (detected by the magic bytes `1f 8b`).
enum FileBytes {
    /// The last path component, used to name files in messages.
    static func displayName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }

    /// The file's bytes, inflated when they are gzip data.
    /// - Throws: ``DatasetError/unreadable(file:reason:)``, ``DatasetError/emptyFile(file:)`` or
    ///   ``DatasetError/corruptGzip(file:reason:)``.
    static func read(_ path: String) throws -> [UInt8] {
        let name = displayName(path)
        let raw = try readRaw(path, name: name)
        guard !raw.isEmpty else { throw DatasetError.emptyFile(file: name) }
        guard raw.count >= 2, raw[0] == 0x1F, raw[1] == 0x8B else { return raw }
        let inflated = try gunzip(raw, name: name)
        guard !inflated.isEmpty else { throw DatasetError.emptyFile(file: name) }
        return inflated
    }

    /// The file's bytes as stored.
    ///
    /// The file is opened without blocking (`O_NONBLOCK`) and refused unless it is a regular
    /// file, so a FIFO or a device named as a dataset fails at once instead of stalling the
    /// reader until someone writes to it.
    static func readRaw(_ path: String, name: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw DatasetError.unreadable(file: name, reason: String(cString: strerror(errno)))
        }
        guard let file = fdopen(descriptor, "rb") else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw DatasetError.unreadable(file: name, reason: reason)
        }
        defer { fclose(file) }
        var info = stat()
        guard fstat(fileno(file), &info) == 0 else {
            throw DatasetError.unreadable(file: name, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DatasetError.unreadable(file: name, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = size == 0 ? 0 : fread(buffer.baseAddress, 1, size, file)
            failed = initialized != size
        }
        guard !failed else {
            throw DatasetError.unreadable(file: name, reason: "short read (\(bytes.count) of \(size) bytes)")
        }
        return bytes
    }

    /// Inflates gzip data (one or more concatenated members) in one pass.
    ///
    /// The output buffer is preallocated from the gzip trailer's ISIZE field (the uncompressed size
    /// modulo 2^32) and grown only if the data turns out larger.
    static func gunzip(_ input: [UInt8], name: String) throws -> [UInt8] {
        // Deflate cannot compress better than about 1032:1, which bounds a lying trailer.
        let capacity = max(min(Int(gzipSizeHint(input)), input.count * 1032), 64)
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        var stream = z_stream()
        // 15 + 32: maximum window, automatic zlib/gzip header detection.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DatasetError.corruptGzip(file: name, reason: "cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        var consumed = 0
        while true {
            if produced == output.count {
                output.append(contentsOf: repeatElement(0, count: output.count))
            }
            let status: Int32 = input.withUnsafeBufferPointer { src in
                output.withUnsafeMutableBufferPointer { dst in
                    stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress.map { $0 + consumed })
                    stream.avail_in = UInt32(clamping: src.count - consumed)
                    stream.next_out = dst.baseAddress.map { $0 + produced }
                    stream.avail_out = UInt32(clamping: dst.count - produced)
                    let inBefore = stream.avail_in, outBefore = stream.avail_out
                    let status = inflate(&stream, Z_NO_FLUSH)
                    consumed += Int(inBefore - stream.avail_in)
                    produced += Int(outBefore - stream.avail_out)
                    return status
                }
            }
            switch status {
            case Z_STREAM_END:
                // Another gzip member may follow (as `cat a.gz b.gz` produces).
                guard consumed < input.count, input[consumed] == 0x1F else {
                    output.removeSubrange(produced...)
                    return output
                }
                guard inflateReset(&stream) == Z_OK else {
                    throw DatasetError.corruptGzip(file: name, reason: "cannot reset zlib")
                }
            case Z_OK, Z_BUF_ERROR:
                if status == Z_BUF_ERROR || (consumed == input.count && produced < output.count) {
                    guard produced == output.count else {
                        throw DatasetError.corruptGzip(
                            file: name, reason: "truncated gzip stream after \(consumed) compressed bytes")
                    }
                }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DatasetError.corruptGzip(file: name, reason: message)
            }
        }
    }

    /// The ISIZE field of the last gzip member: the uncompressed size modulo 2^32.
    private static func gzipSizeHint(_ input: [UInt8]) -> UInt32 {
        guard input.count >= 18 else { return 0 }
        let n = input.count
        return UInt32(input[n - 4]) | UInt32(input[n - 3]) << 8 | UInt32(input[n - 2]) << 16
            | UInt32(input[n - 1]) << 24
    }
}
