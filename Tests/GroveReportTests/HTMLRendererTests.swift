import Testing
@testable import GroveReport

@Suite struct HTMLRendererTests {
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func thePageHasOneSVGPerChartAndNoScriptOrRemoteURL() throws {
        for report in [ReportFixtures.small, try Report(learner: ReportFixtures.learner.get(), model: "default")] {
            let html = try report.render(.html)
            #expect(Self.count("<svg", in: html) == 4, "line chart, accuracy heatmap, load heatmap, lineage")
            #expect(Self.count("</svg>", in: html) == 4)
            #expect(!html.lowercased().contains("<script"))
            #expect(!html.contains("http://") && !html.contains("https://"))
            #expect(!html.contains("<link") && !html.contains("@import") && !html.contains("url(http"), "no external assets")
            #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
            #expect(html.contains("@media print"))
        }
    }

    @Test func everyDomainHasALineInTheAccuracyChartAndACellPerPhaseInTheHeatmap() throws {
        let report = ReportFixtures.small
        let html = try report.render(.html)
        #expect(Self.count("<polyline", in: html) == report.domains.count)
        // Accuracy heatmap: phases × domains cells; load heatmap: experts × domains cells.
        let cells = report.accuracyMatrix.count * report.domains.count + report.experts.count * report.domains.count
        #expect(Self.count("class=\"cell\"", in: html) == cells)
        #expect(html.contains("<title>0 · tops · bottoms: —</title>"), "a cell before bottoms appeared has no value")
        #expect(html.contains("<title>#3 tops, phase 3, parent #0, frozen, 201,474 parameters</title>"))
    }

    @Test func thePageShowsThePerDomainTableAndTheDetectionEvidence() throws {
        let html = try ReportFixtures.small.render(.html)
        #expect(html.contains("<h2>Domains</h2>"))
        #expect(html.contains("<h2>Detection evidence</h2>"))
        #expect(html.contains("tops: MMD² 2.10e-04, p 0.430 · bottoms: MMD² 0.0402, p &lt;0.001"))
        #expect(html.contains("<td class=\"r fair\">4.2</td>"), "bottoms dropped 4.2 points from its best")
    }

    @Test func domainNamesAreEscapedEverywhere() throws {
        var report = ReportFixtures.small
        let evil = "<b onmouseover=\"x\">&'"
        report.domains[0].name = evil
        report.phases[0].domain = evil
        report.experts[0].domain = evil
        let html = try report.render(.html)
        #expect(!html.contains("<b onmouseover"))
        #expect(html.contains("&lt;b onmouseover=&quot;x&quot;&gt;&amp;&#39;"))
    }

    @Test func aReportWithNoPhaseRendersAPageWithoutCharts() throws {
        let html = try Report(learner: .init(), model: "empty").render(.html)
        #expect(Self.count("<svg", in: html) == 0)
        #expect(html.contains("no phase yet"))
    }

    @Test func heatColoursRunFromPaleToDarkAndClampOutOfRangeValues() {
        #expect(SVG.heat(0) == "#fde725")
        #expect(SVG.heat(1) == "#440154")
        #expect(SVG.heat(-3) == SVG.heat(0) && SVG.heat(7) == SVG.heat(1) && SVG.heat(.nan) == SVG.heat(0))
    }
}
