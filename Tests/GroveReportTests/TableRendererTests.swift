import Testing
@testable import GroveReport

@Suite struct TableRendererTests {
    static let reports: [(String, Report)] = [
        ("small", ReportFixtures.small),
        ("100x100", ReportFixtures.synthetic(domains: 100, phases: 100)),
        ("long names", ReportFixtures.synthetic(domains: 7, phases: 9, nameLength: 60)),
        ("empty", Report(model: "empty", generatedAt: "2025-01-31T12:00:00Z", phases: [], domains: [], experts: [], metrics: nil, accuracyMatrix: [])),
    ]

    @Test(arguments: [false, true])
    func everyTableLineFitsOneHundredColumns(colour: Bool) throws {
        for (name, report) in Self.reports {
            let text = try report.render(.table, colour: colour)
            for (number, line) in text.split(separator: "\n").enumerated() {
                let width = TextTable.visibleWidth(String(line))
                #expect(width <= 100, "\(name) line \(number + 1) is \(width) columns: \(line)")
            }
        }
    }

    @Test func colourIsAddedOnlyWhenAsked() throws {
        let plain = try ReportFixtures.small.render(.table)
        let coloured = try ReportFixtures.small.render(.table, colour: true)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[32m97.8%\u{1B}[0m"), "good accuracy in green")
        #expect(coloured.contains("\u{1B}[1m"), "bold titles")
        let stripped = coloured.replacing(/\x1B\[[0-9;]*m/, with: "")
        #expect(stripped == plain, "colour changes nothing but the escape codes")
    }

    @Test func aMatrixWiderThanTheTerminalIsSplitIntoBlocksOfDomains() throws {
        let text = try ReportFixtures.synthetic(domains: 30, phases: 30).render(.table)
        #expect(text.contains("Accuracy after each phase (domains 1–"))
        #expect(text.contains("of 30)"))
        #expect(!text.contains("Accuracy after each phase\n"), "no unsplit matrix")
    }

    @Test func longCellsAreShortenedWithAnEllipsis() {
        #expect(TextTable.truncate("bottoms-and-trousers", to: 8) == "bottoms…")
        #expect(TextTable.truncate("tops", to: 8) == "tops")
        #expect(TextTable.wrap("one two three", width: 7) == ["one two", "three"])
    }

    @Test func anEmptyReportSaysThereIsNoPhaseYet() throws {
        let text = try Self.reports[3].1.render(.table)
        #expect(text.contains("0 phases · 0 domains · 0 experts"))
        #expect(text.contains("metrics no phase yet"))
    }
}
