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
    /// - Throws: ``DatasetError/unreadable(file:reason:)``, ``DatasetError/emptyFile(file:)``,
    ///   ``DatasetError/corruptGzip(file:reason:)``, or ``ReaderLimitError`` for a file above
    ///   ``ReaderLimits/maxFileBytes`` or gzip data above ``ReaderLimits/maxDecompressedBytes``.
    static func read(_ path: String, limits: ReaderLimits) throws -> [UInt8] {
        let name = displayName(path)
        return try decode(try readRaw(path, name: name, maxBytes: limits.maxFileBytes), name: name, limits: limits)
    }

    /// A file's contents as stored, inflated when they are gzip data (magic bytes `1f 8b`).
    /// - Throws: as ``read(_:limits:)``, except for reading.
    static func decode(_ raw: [UInt8], name: String, limits: ReaderLimits) throws -> [UInt8] {
        guard !raw.isEmpty else { throw DatasetError.emptyFile(file: name) }
        guard raw.count <= limits.maxFileBytes else {
            throw ReaderLimitError.fileTooLarge(file: name, bytes: raw.count, limit: limits.maxFileBytes)
        }
        guard raw.count >= 2, raw[0] == 0x1F, raw[1] == 0x8B else { return raw }
        let inflated = try gunzip(raw, name: name, maxBytes: limits.maxDecompressedBytes)
        guard !inflated.isEmpty else { throw DatasetError.emptyFile(file: name) }
        return inflated
    }

    /// The file's bytes as stored, read into memory (never mapped: a mapped file that someone
    /// truncates raises SIGBUS on the next access).
    ///
    /// The path is refused unless it names a regular file, checked with `stat` before it is
    /// opened and with `fstat` after; it is opened without blocking (`O_NONBLOCK`), so a FIFO
    /// or a device swapped in between fails at once instead of stalling the reader.
    /// - Throws: ``DatasetError/unreadable(file:reason:)`` or
    ///   ``ReaderLimitError/fileTooLarge(file:bytes:limit:)`` when the file has more than
    ///   `maxBytes` bytes.
    static func readRaw(_ path: String, name: String, maxBytes: Int) throws -> [UInt8] {
        var before = stat()
        guard stat(path, &before) == 0 else {
            throw DatasetError.unreadable(file: name, reason: String(cString: strerror(errno)))
        }
        try checkRegular(before, name: name, maxBytes: maxBytes)
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
        try checkRegular(info, name: name, maxBytes: maxBytes)
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

    /// Throws unless `info` describes a regular file of at most `maxBytes` bytes.
    private static func checkRegular(_ info: stat, name: String, maxBytes: Int) throws {
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DatasetError.unreadable(file: name, reason: "not a regular file")
        }
        guard info.st_size >= 0, Int(info.st_size) <= maxBytes else {
            throw ReaderLimitError.fileTooLarge(file: name, bytes: Int(info.st_size), limit: maxBytes)
        }
    }

    /// Inflates gzip data (one or more concatenated members) in one pass, producing at most
    /// `maxBytes` bytes.
    ///
    /// The output buffer is preallocated from the gzip trailer's ISIZE field (the uncompressed size
    /// modulo 2^32), never beyond `maxBytes + 1`, and doubled if the data turns out larger.
    /// - Throws: ``DatasetError/corruptGzip(file:reason:)``, or
    ///   ``ReaderLimitError/decompressedTooLarge(file:limit:)`` as soon as the output passes
    ///   `maxBytes`.
    static func gunzip(_ input: [UInt8], name: String, maxBytes: Int) throws -> [UInt8] {
        // One byte past the cap tells "exactly the cap" from "more than the cap".
        let ceiling = maxBytes < Int.max ? maxBytes + 1 : maxBytes
        // Deflate cannot compress better than about 1032:1, which bounds a lying trailer.
        let (bound, overflow) = input.count.multipliedReportingOverflow(by: 1032)
        let capacity = min(max(min(Int(gzipSizeHint(input)), overflow ? Int.max : bound), 64), ceiling)
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
                guard output.count < ceiling else {
                    throw ReaderLimitError.decompressedTooLarge(file: name, limit: maxBytes)
                }
                let grown = output.count > ceiling / 2 ? ceiling : output.count * 2
                output.append(contentsOf: repeatElement(0, count: grown - output.count))
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
            guard produced <= maxBytes else {
                throw ReaderLimitError.decompressedTooLarge(file: name, limit: maxBytes)
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
