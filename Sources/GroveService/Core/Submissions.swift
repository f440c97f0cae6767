import Foundation
import GroveData
import GroveNumerics
import GroveStore

/// Durable intake: an uploaded file is written to `incoming/`, flushed to disk, renamed to
/// `datasets/<sha256><ext>`, described by a dataset spec stored the same way, and only then
/// enqueued. A job exists only for data that is safely on disk, and the same content or spec
/// submitted twice gives the same job.
public struct Submissions: Sendable {
    /// The daemon's home.
    public let home: GroveHome
    /// The store the jobs go to.
    public let store: any Store
    /// The files a spec may name.
    public let access: DataAccess
    /// Whether other workers share the store: a job's files in `datasets/` are then published
    /// to the store before the job is queued, so that any worker can run it.
    public let sharesFiles: Bool

    /// Intake for `home` and `store`, accepting specs that name files `access` allows.
    public init(home: GroveHome, store: any Store, access: DataAccess, sharesFiles: Bool = false) {
        self.home = home
        self.store = store
        self.access = access
        self.sharesFiles = sharesFiles
    }

    /// Moves a complete file (already on the home's file system, e.g. in `incoming/` or the
    /// inbox) into `datasets/` under its content hash, read-only; returns the stored path.
    /// The file is read, not mapped: a writer truncating it meanwhile cannot crash the daemon.
    /// - Throws: `StoreError.diskFull` when the disk is full, `ServiceError.storeFailed` / `.emptyUpload`.
    public func adopt(fileAt url: URL, name: String) throws -> String {
        do {
            guard let sha = try Checksum.sha256(ofFileAt: url) else { throw ServiceError.emptyUpload(name: name) }
            let target = home.datasets.appendingPathComponent(sha + Self.extensionOf(name))
            if FileManager.default.fileExists(atPath: target.path) {
                try FileManager.default.removeItem(at: url)
                // Fresh again: garbage collection keeps what was stored within its retention period.
                try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: target.path)
            } else {
                try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: url.path)
                try Self.flush(url)
                try FileManager.default.moveItem(at: url, to: target)
                try Self.flush(home.datasets)
            }
            return target.path
        } catch let error as ServiceError {
            throw error
        } catch {
            throw StoreError.diskFull(from: error, writing: name) ?? ServiceError.storeFailed(name: name, reason: error.localizedDescription)
        }
    }

    /// Stores `data` (a whole upload) durably and returns its stored path.
    public func store(_ data: Data, name: String) throws -> String {
        guard !data.isEmpty else { throw ServiceError.emptyUpload(name: name) }
        let temporary = home.incoming.appendingPathComponent(UUID().uuidString)
        do {
            try data.write(to: temporary)
        } catch {
            throw StoreError.diskFull(from: error, writing: name) ?? ServiceError.storeFailed(name: name, reason: error.localizedDescription)
        }
        return try adopt(fileAt: temporary, name: name)
    }

    /// Stores `spec` and enqueues a job for it in `model` (or returns the existing job of the
    /// same spec and model). The first job that names a model creates it. The spec's files are
    /// stored by their real paths, so two spellings of one file give one job.
    /// - Throws: ``ServiceError/invalidModelName(_:)``, ``ServiceError/outsideDataRoots(field:path:)``,
    ///   `.badInput` (no such file), `.storeFailed`, or a `StoreError`.
    public func submit(_ spec: DatasetSpec, model: String) async throws -> EnqueueResult {
        try ModelName.validate(model)
        var spec = spec
        spec.source = try access.resolve(spec.source)
        let bytes = try spec.canonicalJSON()
        let sha = Checksum.sha256(bytes)
        let path = home.datasets.appendingPathComponent(sha + ".spec.json")
        if !FileManager.default.fileExists(atPath: path.path) {
            let temporary = home.incoming.appendingPathComponent(UUID().uuidString)
            do {
                try bytes.write(to: temporary)
                try Self.flush(temporary)
                try FileManager.default.moveItem(at: temporary, to: path)
                try Self.flush(home.datasets)
            } catch {
                if FileManager.default.fileExists(atPath: path.path) { try? FileManager.default.removeItem(at: temporary) }
                else {
                    throw StoreError.diskFull(from: error, writing: spec.source.path)
                        ?? ServiceError.storeFailed(name: spec.source.path, reason: error.localizedDescription)
                }
            }
        }
        if sharesFiles {
            let named = [spec.source.path, spec.source.labels, spec.source.testPath, spec.source.testLabels].compactMap { $0 }
            try await SharedDatasetFiles(store: store, home: home).publish([path.path] + named)
        }
        return try await store.enqueue(JobRequest(model: model, datasetSHA256: sha, source: path.path,
                                                  labelsSource: spec.source.labels, format: spec.source.format.rawValue,
                                                  declaredDomain: spec.domain))
    }

    /// `.gz`-aware extension of a file name, with its dot ("" when none).
    static func extensionOf(_ name: String) -> String {
        let lower = name.lowercased()
        for ext in [".csv.gz", ".jsonl.gz", ".npy.gz", ".idx.gz", "-ubyte.gz", ".csv", ".jsonl", ".npy", ".gz", ".idx"] where lower.hasSuffix(ext) {
            return ext
        }
        return ""
    }

    /// fsync of a file or directory.
    static func flush(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw ServiceError.storeFailed(name: url.lastPathComponent, reason: "cannot open for fsync") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ServiceError.storeFailed(name: url.lastPathComponent, reason: "fsync failed") }
    }
}
