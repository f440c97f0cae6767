import Foundation
import GroveData

/// The files a daemon reads on a client's word: those uploaded into the home's `datasets/`,
/// and those under the directories the operator names (`grove daemon --data-root DIR`); and
/// how much of them a reader accepts (``limits``, `grove daemon --max-rows` and the like).
///
/// A path is checked after resolving symlinks and `..`, so neither a link nor a climb leaves
/// the roots. A path outside them is refused whether or not a file is there (the answer never
/// says which files exist elsewhere).
///
/// ```swift
/// let access = try DataAccess(home: home, roots: ["/srv/datasets"])
/// let real = try access.resolve("/srv/datasets/day1.csv", field: "spec.source.path")
/// ```
public struct DataAccess: Sendable, Equatable {
    /// The home's `datasets/`, resolved.
    public let uploads: String
    /// The operator's data roots, resolved.
    public let roots: [String]
    /// The caps on what a phase reads from these files.
    public let limits: ReaderLimits

    /// Access to `home`'s uploads and to each of `roots`, read within `limits`.
    /// - Throws: ``ServiceError/unusableDataRoot(path:reason:)`` for a root that is not an
    ///   existing directory.
    public init(home: GroveHome, roots: [String] = [], limits: ReaderLimits = .standard) throws {
        self.limits = limits
        uploads = Self.realPath(home.datasets.path) ?? home.datasets.standardizedFileURL.path
        var resolved: [String] = []
        for root in roots {
            guard let real = Self.realPath(root) else {
                throw ServiceError.unusableDataRoot(path: root, reason: "no such directory")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ServiceError.unusableDataRoot(path: root, reason: "not a directory")
            }
            resolved.append(real)
        }
        self.roots = resolved
    }

    /// The real path of `path` (symlinks and `..` resolved) when it lies under a root.
    /// - Throws: ``ServiceError/outsideDataRoots(field:path:)``, or
    ///   ``ServiceError/badInput(_:)`` for a relative path, no file, or one that is not a
    ///   regular file (checked without opening it, so a FIFO cannot block).
    public func resolve(_ path: String, field: String) throws -> String {
        guard path.hasPrefix("/") else {
            throw ServiceError.badInput("\(field): '\(path)' is not an absolute path")
        }
        guard let real = Self.realPath(path) else {
            // Say "no file" only inside the roots: outside, existence is not ours to tell.
            guard contains(URL(fileURLWithPath: path).standardizedFileURL.path) else {
                throw ServiceError.outsideDataRoots(field: field, path: path)
            }
            throw ServiceError.badInput("\(field): no file at \(path)")
        }
        guard contains(real) else { throw ServiceError.outsideDataRoots(field: field, path: path) }
        var status = stat()
        guard stat(real, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw ServiceError.badInput("\(field): \(path) is not a regular file (a directory, FIFO or device is never read)")
        }
        return real
    }

    /// `source` with every file it names resolved (see ``resolve(_:field:)``).
    public func resolve(_ source: JobManifest.Source, prefix: String = "spec.source") throws -> JobManifest.Source {
        var resolved = source
        resolved.path = try resolve(source.path, field: prefix + ".path")
        resolved.labels = try source.labels.map { try resolve($0, field: prefix + ".labels") }
        resolved.testPath = try source.testPath.map { try resolve($0, field: prefix + ".test_path") }
        resolved.testLabels = try source.testLabels.map { try resolve($0, field: prefix + ".test_labels") }
        return resolved
    }

    private func contains(_ path: String) -> Bool {
        ([uploads] + roots).contains { root in path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
    }

    /// `realpath(3)`: the absolute path with every symlink and `..` resolved, or nil when a
    /// component does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
