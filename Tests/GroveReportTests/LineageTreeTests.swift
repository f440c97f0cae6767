import Testing
@testable import GroveReport

@Suite struct LineageTreeTests {
    func expert(_ id: Int, parent: Int?, domain: String = "d", phase: Int? = nil, frozen: Bool = true) -> ReportExpert {
        ReportExpert(id: id, parent: parent, domain: domain, createdPhase: phase ?? id, frozen: frozen, parameters: 10, hidden: 4, classes: [0], load: [:])
    }

    @Test func childrenAreIndentedUnderTheirParentInIdOrder() {
        let tree = LineageTree(experts: [
            expert(2, parent: 0, domain: "shoes"), expert(0, parent: nil, domain: "tops"),
            expert(3, parent: 1, domain: "bags"), expert(1, parent: 0, domain: "bottoms"), expert(4, parent: nil, domain: "other", frozen: false),
        ])
        #expect(tree.render() == """
            #0 tops · phase 0
            ├── #1 bottoms · phase 1
            │   └── #3 bags · phase 3
            └── #2 shoes · phase 2
            #4 other · phase 4 · training

            """)
    }

    @Test func aParentMissingFromTheListMakesARoot() {
        let tree = LineageTree(experts: [expert(5, parent: 9), expert(6, parent: 5)])
        #expect(tree.render() == "#5 d · phase 5\n└── #6 d · phase 6\n")
    }

    @Test func aParentCycleDoesNotLoopAndShowsEveryExpertOnce() {
        let tree = LineageTree(experts: [expert(0, parent: 1), expert(1, parent: 0), expert(2, parent: 2)])
        let lines = tree.lines(width: nil)
        #expect(lines.count == 3)
        for id in 0...2 {
            #expect(lines.filter { $0.contains("#\(id) ") }.count == 1, "expert #\(id) once")
        }
        #expect(lines.contains("#2 d · phase 2"))
    }

    @Test func noExpertsGiveAnEmptyTree() {
        #expect(LineageTree(experts: []).render() == "")
    }
}
