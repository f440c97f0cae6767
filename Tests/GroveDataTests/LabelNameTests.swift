import GroveData
import GroveTestSupport
import Testing

/// The same classes from every format: whole numbers written as floats are the integers' classes.
struct LabelNameTests {
    @Test(arguments: [
        ("3.0", "3"), ("3.", "3"), ("-1.00", "-1"), ("0.0", "0"), ("-0.0", "0"), ("12.000", "12"),
        ("3", "3"), ("03", "03"), ("03.0", "03.0"), ("3.5", "3.5"), ("3.01", "3.01"), ("3e0", "3e0"),
        (".0", ".0"), ("-.0", "-.0"), ("sandal", "sandal"), ("v1.0", "v1.0"), ("1.0.0", "1.0.0"), ("+3.0", "+3.0"),
    ])
    func wholeNumbersWithAZeroFractionLoseIt(text: String, expected: String) {
        #expect(LabelName.canonical(text) == expected)
    }

    @Test func aCSVOfFloatLabelsNamesTheClassesOfTheIntegerFormats() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("day1.csv", text: "label,x\n3.0,1\n0.0,2\n3.0,3\n")
        let jsonl = try dir.write("day2.jsonl", text: "{\"x\": [4], \"y\": 0}\n{\"x\": [5], \"y\": \"3\"}\n")
        var registry = LabelRegistry()
        let first = try DatasetLoader.load(path: csv, registry: &registry)
        let second = try DatasetLoader.load(path: jsonl, registry: &registry)
        #expect(registry.labels == ["0", "3"])
        #expect(first.labels == [3, 0, 3])
        #expect(second.labels == [0, 3])
    }

    @Test func aLabelAModelLearnedAsWrittenKeepsItsClass() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("later.csv", text: "label,x\n3.0,1\n3,2\n")
        var registry = LabelRegistry()
        registry.index(registering: "3.0")
        let dataset = try DatasetLoader.load(path: csv, registry: &registry)
        #expect(registry.labels == ["3.0", "3"])
        #expect(dataset.labels == [try #require(registry.index(of: "3.0")), 3])
    }

    @Test func classesChosenByIntegerKeepTheirFloatWrittenRows() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("split.csv", text: "label,x\n4.0,1\n5.0,2\n6.0,3\n")
        var registry = LabelRegistry()
        let dataset = try DatasetLoader.load(path: csv, classes: ["4", "6.0"], registry: &registry)
        #expect(dataset.features == [1, 3])
        #expect(registry.labels == ["4", "6"])
    }
}
