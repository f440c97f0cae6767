import Foundation
import GroveData
import GroveService

/// What `grove submit` sends: a dataset upload or a manifest's domains.
struct SubmitRequest: Sendable {
    let path: String
    let isManifest: Bool
    let domain: String?
    let model: String?
    let format: DatasetFormat?
    let labels: String?
    /// The drift event whose candidate rows `path` labels.
    var candidate: Int64?

    /// One submission and how to name it on screen.
    struct Planned: Sendable {
        var submission: APIJobSubmitted
        /// The file (with its declared domain) or `manifest/domain`.
        var name: String
        /// The file or manifest domain alone, for the progress bar.
        var shortName: String
        /// Uploaded files' stored names (`<sha256>.csv`) and the local names they came from.
        var uploads: [String: String] = [:]

        /// `message` with stored file names replaced by the local ones the user knows.
        func localized(_ message: String) -> String {
            uploads.reduce(message) { text, pair in text.replacingOccurrences(of: pair.key, with: pair.value) }
        }

        /// `job 3 queued: day1.csv`, `job 3 queued again: day1.csv` (it had failed or been
        /// cancelled) or `job 3 already submitted: day1.csv (succeeded)`.
        var line: String {
            if submission.created { return "job \(submission.job.id) queued: \(name)" }
            if submission.requeued { return "job \(submission.job.id) queued again: \(name)" }
            return "job \(submission.job.id) already submitted: \(name) (\(submission.job.state.rawValue))"
        }
    }

    /// Sends the submission(s), in order.
    /// - Throws: `ClientError`, `ManifestError`, `DatasetError`.
    func submit(with client: GroveClient) async throws -> [Planned] {
        if let candidate { return [try await submitCandidate(candidate, with: client)] }
        return isManifest ? try await submitManifest(with: client) : [try await submitDataset(with: client)]
    }

    /// Fetches the event's candidate rows, checks that `path` has one label for each, uploads
    /// both and submits them as an NPY dataset with a labels file.
    private func submitCandidate(_ id: Int64, with client: GroveClient) async throws -> Planned {
        let labelsName = URL(fileURLWithPath: path).lastPathComponent
        let model = model ?? ModelName.standard
        let labelCount = try LabelsFile.read(path: path).codes.count
        let rowsName = "candidate-\(id).npy"
        let rows = try await client.raw(GroveClient.modelPath(model, "/drift/\(id)/rows") + "?format=npy")
        let rowCount = try NPYReader.readFeatures(bytes: [UInt8](rows), name: rowsName).count
        guard rowCount == labelCount else {
            throw DatasetError.labelCountMismatch(file: "drift event \(id)", labelsFile: labelsName, samples: rowCount, labels: labelCount)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grove-candidate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rowsFile = directory.appendingPathComponent(rowsName)
        try rows.write(to: rowsFile)
        let storedRows = try await client.upload(fileAt: rowsFile)
        let storedLabels = try await client.upload(fileAt: URL(fileURLWithPath: path))
        let spec = DatasetSpec(domain: domain, source: .init(format: .npy, path: storedRows.path, labels: storedLabels.path))
        let submission = try await client.submit(spec, model: model)
        let name = "drift event \(id)'s \(rowCount) rows labelled by \(labelsName)" + (domain.map { " (domain \($0))" } ?? "")
        return Planned(submission: submission, name: name, shortName: "candidate \(id)",
                       uploads: [URL(fileURLWithPath: storedRows.path).lastPathComponent: rowsName,
                                 URL(fileURLWithPath: storedLabels.path).lastPathComponent: labelsName])
    }

    private func submitDataset(with client: GroveClient) async throws -> Planned {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard let format = format ?? DatasetFormat.detect(path: path) else {
            throw DatasetError.unknownFormat(file: name)
        }
        if format.needsLabelsFile, labels == nil {
            throw DatasetError.missingLabelsFile(file: name, format: format.rawValue)
        }
        let stored = try await client.upload(fileAt: URL(fileURLWithPath: path))
        var storedLabels: APIUpload?
        if let labels { storedLabels = try await client.upload(fileAt: URL(fileURLWithPath: labels)) }
        let spec = DatasetSpec(domain: domain, source: .init(format: format, path: stored.path, labels: storedLabels?.path))
        let submission = try await client.submit(spec, model: model ?? ModelName.standard)
        var uploads = [URL(fileURLWithPath: stored.path).lastPathComponent: name]
        if let labels, let storedLabels {
            uploads[URL(fileURLWithPath: storedLabels.path).lastPathComponent] = URL(fileURLWithPath: labels).lastPathComponent
        }
        return Planned(submission: submission, name: domain.map { "\(name) (domain \($0))" } ?? name, shortName: name, uploads: uploads)
    }

    /// Submits each domain with its local paths; when the daemon may not read them (403: not
    /// under its `--data-root`s), uploads the files (each once) and submits the stored copies.
    private func submitManifest(with client: GroveClient) async throws -> [Planned] {
        let manifest = try JobManifest.load(path: path)
        var planned: [Planned] = []
        var uploaded: [String: String] = [:]  // local path → stored path
        var uploadAll = false
        for entry in manifest.domains {
            var source = entry.source
            source.path = Self.absolute(source.path)
            source.labels = source.labels.map(Self.absolute)
            source.testPath = source.testPath.map(Self.absolute)
            source.testLabels = source.testLabels.map(Self.absolute)
            let name = "\(manifest.name)/\(entry.name)"
            if !uploadAll {
                do {
                    let submission = try await client.submit(DatasetSpec(domain: entry.name, source: source), model: model ?? manifest.model)
                    planned.append(Planned(submission: submission, name: name, shortName: entry.name))
                    continue
                } catch ClientError.status(code: 403, _) {
                    uploadAll = true
                }
            }
            var uploads: [String: String] = [:]
            func stored(_ local: String) async throws -> String {
                var copy = uploaded[local] ?? ""
                if copy.isEmpty {
                    copy = try await client.upload(fileAt: URL(fileURLWithPath: local)).path
                    uploaded[local] = copy
                }
                uploads[URL(fileURLWithPath: copy).lastPathComponent] = URL(fileURLWithPath: local).lastPathComponent
                return copy
            }
            source.path = try await stored(source.path)
            if let labels = source.labels { source.labels = try await stored(labels) }
            if let testPath = source.testPath { source.testPath = try await stored(testPath) }
            if let testLabels = source.testLabels { source.testLabels = try await stored(testLabels) }
            let submission = try await client.submit(DatasetSpec(domain: entry.name, source: source), model: model ?? manifest.model)
            planned.append(Planned(submission: submission, name: name, shortName: entry.name, uploads: uploads))
        }
        return planned
    }

    /// `path` made absolute against the current directory.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
