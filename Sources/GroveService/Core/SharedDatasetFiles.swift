import Foundation
import GroveStore

/// Dataset files shared through the store, so that any worker can run a job another worker
/// took in.
///
/// Every file in a home's `datasets/` is named by the SHA-256 of its bytes (`<sha256><ext>`),
/// and dataset specs name their files there by absolute path. When daemons share a store,
/// the receiving daemon publishes a job's files as blobs before queuing the job
/// (``publish(_:)``); a worker whose home lacks a file fetches it by the hash in its name into
/// its own `datasets/` (``local(_:)``). Files under operator data roots are not published:
/// such directories must be mounted at the same path on every worker.
struct SharedDatasetFiles: Sendable {
    let store: any Store
    /// This worker's home.
    let home: GroveHome

    private var datasets: URL { home.datasets }

    /// Stores the files among `paths` that lie in this home's `datasets/` as blobs.
    /// - Throws: `ServiceError.storeFailed` when a file's bytes no longer match its name, or a
    ///   `StoreError`.
    func publish(_ paths: [String]) async throws {
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            guard url.deletingLastPathComponent().path == datasets.standardizedFileURL.path,
                  let expected = Self.hash(inName: url.lastPathComponent)
            else { continue }
            let data = try Data(contentsOf: url)
            let stored = try await store.putBlob(data, kind: .other)
            guard stored == expected else {
                throw ServiceError.storeFailed(name: url.lastPathComponent, reason: "its bytes hash to \(stored), not to its name")
            }
        }
    }

    /// The path to read `path` from on this worker. A content-named file in some home's
    /// `datasets/` is read from this home's `datasets/`, fetched from the store under the same
    /// name when missing (another worker's home is never read, even on the same machine: it
    /// is not among this daemon's readable roots). A path under one of `roots` (the operator's
    /// data roots, mounted alike on every worker) or any other path is returned unchanged.
    /// - Throws: a `StoreError` (`blobNotFound` when no worker published it), or
    ///   `ServiceError.storeFailed` when the copy cannot be written.
    func local(_ path: String, roots: [String] = []) async throws -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let name = url.lastPathComponent
        guard !roots.contains(where: { url.path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }),
              url.deletingLastPathComponent().lastPathComponent == datasets.lastPathComponent,
              let sha = Self.hash(inName: name)
        else { return path }
        let target = datasets.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: target.path) { return target.path }
        let data = try await store.blob(sha256: sha)
        let temporary = home.incoming.appendingPathComponent(UUID().uuidString)
        do {
            try data.write(to: temporary)
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: temporary.path)
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            // Another phase fetched the same file meanwhile.
            if FileManager.default.fileExists(atPath: target.path) { return target.path }
            throw ServiceError.storeFailed(name: name, reason: error.localizedDescription)
        }
        return target.path
    }

    /// The SHA-256 a content-named file name starts with, if any.
    static func hash(inName name: String) -> String? {
        let prefix = String(name.prefix(64))
        return prefix.count == 64 && prefix.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) ? prefix : nil
    }
}
