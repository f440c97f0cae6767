import Foundation
import Testing
@testable import GroveReport

/// The table and Markdown of a fixed report match files under `Golden/`.
/// Run with `GROVE_UPDATE_GOLDEN=1` to rewrite them after an intended change.
@Suite struct GoldenFileTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: [
        (ReportFormat.table, "small.table.txt"),
        (ReportFormat.markdown, "small.md"),
    ])
    func renderingOfTheFixedReportMatchesItsGoldenFile(format: ReportFormat, file: String) throws {
        let rendered = try ReportFixtures.small.render(format)
        try Self.check(rendered, against: file)
    }

    @Test func lineageTreeOfTheFixedReportMatchesItsGoldenFile() throws {
        try Self.check(LineageTree(report: ReportFixtures.small).render(), against: "small.tree.txt")
    }

    /// Compares with the golden file, or rewrites it when `GROVE_UPDATE_GOLDEN=1`.
    static func check(_ rendered: String, against file: String) throws {
        let url = directory.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["GROVE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(rendered.utf8).write(to: url)
            print("rewrote \(url.path)")
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        if rendered != golden {
            let a = rendered.split(separator: "\n", omittingEmptySubsequences: false)
            let b = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("""
                \(file) differs at line \(line + 1) (set GROVE_UPDATE_GOLDEN=1 to rewrite):
                  rendered: \(line < a.count ? String(a[line]) : "<end>")
                  golden:   \(line < b.count ? String(b[line]) : "<end>")
                """)
        }
    }
}
