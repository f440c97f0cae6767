import Foundation
import GroveNumerics

/// Seeded CSV datasets and temporary directories for the CLI tests.
enum Fixtures {
    /// A fresh temporary directory (removed by the caller with `remove(_:)`).
    static func directory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grove-cli-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Two Gaussian blobs in region `domain` (shifted by 8 on the axes `d` with `d % 3 == domain % 3`, so
    /// that three domains sit at the corners of a triangle; the two classes 4 apart along
    /// alternating axes), labels `2 * domain` and `2 * domain + 1`; header `f0,…,f{dimension-1},label`.
    static func blobsCSV(domain: Int, rows: Int = 300, dimension: Int = 20, seed: UInt64 = 7) -> String {
        var rng = SeededRNG(seed: seed &+ UInt64(domain) &* 1_000_003)
        var text = (0..<dimension).map { "f\($0)" }.joined(separator: ",") + ",label\n"
        text.reserveCapacity(rows * dimension * 7)
        for r in 0..<rows {
            let c = r % 2
            var cells: [String] = []
            cells.reserveCapacity(dimension + 1)
            for d in 0..<dimension {
                let centre = (d % 3 == domain % 3 ? 8 : 0) + Float(domain / 3) * 8 + (c == 0 ? -2 : 2) * (d % 2 == 0 ? 1 : -1)
                cells.append(String(format: "%.3f", centre + rng.nextGaussian()))
            }
            cells.append(String(2 * domain + c))
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Writes `text` to `directory/name` and returns the file.
    @discardableResult
    static func write(_ text: String, to directory: URL, name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}

extension Data {
    /// The bytes as a JSON value of type `T` (dates as ISO 8601, as the daemon writes them).
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: self)
    }
}

extension CLIResult {
    /// Standard output as JSON of type `T`.
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try Data(stdout.utf8).decoded(type)
    }
}
