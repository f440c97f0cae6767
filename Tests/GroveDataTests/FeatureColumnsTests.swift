import GroveData
import GroveTestSupport
import Testing

/// A CSV's columns are taken by the names a model's features have, whatever their order.
struct FeatureColumnsTests {
    static let original = "a,b,label,c\n1,2,cat,3\n4,5,dog,6\n"
    static let shuffled = "c,label,a,b\n3,cat,1,2\n6,dog,4,5\n"

    @Test func aModelsFirstCSVNamesItsFeaturesAndALaterOneIsTakenByName() throws {
        let dir = try TemporaryDirectory()
        var registry = LabelRegistry()
        var columns: [String]?
        let first = try DatasetLoader.load(path: try dir.write("day1.csv", text: Self.original), registry: &registry, columns: &columns)
        #expect(columns == ["a", "b", "c"])
        let second = try DatasetLoader.load(path: try dir.write("day2.csv", text: Self.shuffled), registry: &registry,
                                            columns: &columns, expectedDimension: 3)
        #expect(second.features == first.features)
        #expect(second.labels == first.labels)
        #expect(columns == ["a", "b", "c"])
    }

    @Test func onlyAModelsFirstDatasetNamesItsFeatures() throws {
        let dir = try TemporaryDirectory()
        var registry = LabelRegistry()
        var columns: [String]?
        let later = try DatasetLoader.load(path: try dir.write("later.csv", text: Self.shuffled), registry: &registry,
                                           columns: &columns, expectedDimension: 3)
        #expect(columns == nil, "a model first learned from unnamed rows stays positional")
        #expect(later.features == [3, 1, 2, 6, 4, 5])
    }

    @Test(arguments: [
        ("a,b,label,d\n1,2,cat,3\n", "bad.csv:1: column 'd' is not one of the model's features (named by the first CSV it learned)"),
        ("a,b,label,C\n1,2,cat,3\n", "bad.csv:1: column 'C' is not one of the model's features (named by the first CSV it learned)"),
        ("label,c,b,e\ncat,1,2,3\n", "bad.csv:1: column 'e' is not one of the model's features (named by the first CSV it learned)"),
        ("a,b,label\n1,2,cat\n", "bad.csv: 2 features per sample, but the model's input dimension is 3"),
    ])
    func aCSVNamingOtherFeaturesFailsAndChangesNothing(text: String, expected: String) throws {
        let dir = try TemporaryDirectory()
        var registry = LabelRegistry()
        registry.index(registering: "cat")
        let labelsBefore = registry
        var columns: [String]? = ["a", "b", "c"]
        let path = try dir.write("bad.csv", text: text)
        #expect(errorMessage {
            try DatasetLoader.load(path: path, registry: &registry, columns: &columns, expectedDimension: 3)
        } == expected)
        #expect(registry == labelsBefore)
        #expect(columns == ["a", "b", "c"])
    }

    @Test func rowsToPredictAreArrangedLikeDatasets() throws {
        let dir = try TemporaryDirectory()
        let rows = try DatasetLoader.readFeatures(path: try dir.write("p.csv", text: Self.shuffled))
        #expect(rows.columnNames == ["c", "a", "b"])
        let arranged = try rows.arranged(as: ["a", "b", "c"])
        #expect(arranged.features == [1, 2, 3, 4, 5, 6])
        #expect(try rows.arranged(as: nil) == rows)
        let npy = try DatasetLoader.readFeatures(path: try dir.write(
            "p.npy", bytes: Fixture.npy(descr: "<f4", shape: [1, 3], data: Fixture.float32([3, 1, 2]))))
        #expect(try npy.arranged(as: ["a", "b", "c"]).features == [3, 1, 2], "unnamed rows stay positional")
    }

    @Test func exportedRowsCarryTheirNamesBackIntoTheReader() throws {
        let dir = try TemporaryDirectory()
        var rows = FeatureRows(features: [1, 2, 3, 4], dimension: 2, count: 2, source: "candidate-1")
        rows.columnNames = ["width, cm", "say \"hi\""]
        let text = String(decoding: FeatureRowsWriter.csv(rows), as: UTF8.self)
        #expect(text.hasPrefix("label,\"width, cm\",\"say \"\"hi\"\"\"\n"))
        let labelled = text.split(separator: "\n").enumerated().map { $0.offset == 0 ? String($0.element) : "x" + $0.element }
        let back = try CSVReader.read(path: try dir.write("back.csv", text: labelled.joined(separator: "\n") + "\n"))
        #expect(back.columnNames == rows.columnNames)
        #expect(back.features == rows.features)
        rows.columnNames = nil
        #expect(String(decoding: FeatureRowsWriter.csv(rows), as: UTF8.self).hasPrefix("label,x1,x2\n"))
    }
}

/// What a prediction reads: samples, whether or not the file has labels.
struct UnlabelledRowsTests {
    @Test(arguments: [
        ("a,b\n1,2\n3,4\n", ["a", "b"]),
        ("a,label,b\n1,,2\n3,cat,4\n", ["a", "b"]),
        ("\u{FEFF}a, b ,Label\n1,2,\n3,4,x\n", ["a", "b"]),
    ])
    func aCSVToPredictNeedsNoLabelsAndIgnoresThem(text: String, names: [String]) throws {
        let dir = try TemporaryDirectory()
        let rows = try DatasetLoader.readFeatures(path: try dir.write("p.csv", text: text))
        #expect(rows.features == [1, 2, 3, 4] && rows.count == 2 && rows.dimension == 2)
        #expect(rows.columnNames == names)
    }

    @Test(arguments: [
        ("label\n1\n", "p.csv:1: no feature columns besides 'label'"),
        ("a,b\n1,x\n", "p.csv:2: column 'b': 'x' is not a number"),
        ("a,a\n1,2\n", "p.csv:1: column 'a' appears twice"),
        ("a,b\n", "p.csv: no samples"),
    ])
    func aCSVToPredictStillNamesItsDefects(text: String, expected: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("p.csv", text: text)
        #expect(errorMessage { try DatasetLoader.readFeatures(path: path) } == expected)
    }

    @Test func aJSONLToPredictNeedsNoYAndIgnoresIt() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("p.jsonl", text: "{\"x\": [1, 2]}\n{\"y\": [\"not\", \"a label\"], \"x\": [3, 4]}\n")
        let rows = try DatasetLoader.readFeatures(path: path)
        #expect(rows.features == [1, 2, 3, 4] && rows.count == 2)
        #expect(errorMessage { try JSONLReader.read(path: path) } == "p.jsonl:1: missing field 'y'")
        let noX = try dir.write("q.jsonl", text: "{\"y\": 1}\n")
        #expect(errorMessage { try DatasetLoader.readFeatures(path: noX) } == "q.jsonl:1: missing field 'x'")
    }
}
