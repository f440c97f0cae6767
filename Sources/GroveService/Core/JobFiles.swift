import Foundation
import GroveStore

/// The files of a home's `datasets/` that a job reads when it runs: its stored dataset spec
/// (``JobRecord/source``) and the data files the spec names there (features, labels, test
/// files). Files the spec names elsewhere are not the home's to manage.
struct JobFiles: Sendable, Equatable {
    /// Standardized paths in `datasets/`, the spec first.
    var paths: [String]
    /// Whether the spec could be read (when not, ``paths`` holds at most the spec).
    var specReadable: Bool

    /// The files of `job` in `home`.
    init(of job: JobRecord, home: GroveHome) {
        let datasets = home.datasets.standardizedFileURL.path
        func inDatasets(_ path: String) -> String? {
            let standardized = URL(fileURLWithPath: path).standardizedFileURL
            return standardized.deletingLastPathComponent().path == datasets ? standardized.path : nil
        }
        guard let spec = inDatasets(job.source) else {
            paths = []
            specReadable = false
            return
        }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: spec)),
              let decoded = try? JSONDecoder().decode(DatasetSpec.self, from: data)
        else {
            paths = [spec]
            specReadable = false
            return
        }
        let source = decoded.source
        let named = [source.path, source.labels, source.testPath, source.testLabels].compactMap { $0.flatMap(inDatasets) }
        var seen: Set<String> = [spec]
        paths = [spec] + named.filter { seen.insert($0).inserted }
        specReadable = true
    }

    /// The files the job needs that are gone (all of them when its spec is unreadable), by name.
    var missing: [String] {
        guard specReadable else { return paths.isEmpty ? [] : paths.map { URL(fileURLWithPath: $0).lastPathComponent } }
        return paths.filter { !FileManager.default.fileExists(atPath: $0) }.map { URL(fileURLWithPath: $0).lastPathComponent }
    }
}
