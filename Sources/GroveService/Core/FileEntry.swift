import Foundation

/// One name in a folder of the home (the inbox, `failed/`, `incoming/`, `datasets/`), as
/// `lstat(2)` sees it: a symbolic link is reported as a link, never as what it points to.
struct FileEntry: Sendable, Equatable {
    /// What the name is.
    enum Kind: Sendable, Equatable {
        case regular, directory, symlink, other
    }

    /// Identifies one version of a file: the same inode, size and modification time.
    struct Stamp: Sendable, Hashable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    /// The file name.
    var name: String
    /// What it is.
    var kind: Kind
    /// Its identity and version.
    var stamp: Stamp

    /// The entry at `url`, or `nil` when nothing is there.
    init?(at url: URL) {
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return nil }
        name = url.lastPathComponent
        kind = switch status.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        default: .other
        }
        #if canImport(Darwin)
        let modified = Int64(status.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(status.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        #endif
        stamp = Stamp(inode: UInt64(status.st_ino), size: Int64(status.st_size), modified: modified)
    }

    /// The entries of `folder` that the inbox considers (not ``isIgnored(_:)``), sorted by name.
    static func list(_ folder: URL) -> [FileEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { !isIgnored($0) }.compactMap { FileEntry(at: folder.appendingPathComponent($0)) }
    }

    /// Suffixes of files still being written by a browser, a download tool or an editor.
    static let partialSuffixes = [".part", ".partial", ".tmp", ".crdownload", ".download", "~"]

    /// Whether the inbox leaves `name` alone: hidden names (starting with `.`, which also
    /// covers editors' swap files and rsync's temporaries) and names of files still being
    /// written (see ``partialSuffixes``).
    static func isIgnored(_ name: String) -> Bool {
        let lower = name.lowercased()
        return name.hasPrefix(".") || partialSuffixes.contains { lower.hasSuffix($0) }
    }
}
