import GroveData
import GroveTestSupport
import Testing

struct CSVReaderTests {
    @Test func headerLabelColumnAndFeaturesRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("train.csv", text: "x1,label,x2\n0.5,cat,1.25\r\n-2e-1, dog ,3\n\n1,\"cat\",0\n")
        let raw = try CSVReader.read(path: path)
        #expect(raw.dimension == 2)
        #expect(raw.count == 3)
        #expect(raw.features == [0.5, 1.25, -0.2, 3, 1, 0])
        #expect(raw.labelNames == ["cat", "dog"])
        #expect(raw.labelCodes == [0, 1, 0])
    }

    @Test func stringLabelsGetRegistryIndicesInFirstSeenOrder() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("a.csv", text: "label,x\nsandal,1\nboot,2\nsandal,3\n")
        var registry = LabelRegistry()
        let dataset = try DatasetLoader.load(path: path, registry: &registry)
        #expect(dataset.labels == [0, 1, 0])
        #expect(registry.labels == ["sandal", "boot"])
    }

    @Test func gzippedCSVReadsLikeThePlainFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("b.csv", text: "label,x,y\n1,0.5,0.25\n")
        let zipped = try dir.gzip(path)
        #expect(DatasetFormat.detect(path: zipped) == .csv)
        #expect(try CSVReader.read(path: zipped).features == [0.5, 0.25])
    }

    @Test(arguments: [
        ("x1,x2\n1,2\n", "bad.csv:1: no 'label' column in the header"),
        ("label,x1,x2\n1,2,3\n1,abc,3\n", "bad.csv:3: column 'x1': 'abc' is not a number"),
        ("label,x1,x2\n1,2,\n", "bad.csv:2: column 'x2': '' is not a number"),
        ("label,x1,x2\n1,2,nan\n", "bad.csv:2: column 'x2': 'nan' is not finite"),
        ("label,x1,x2\n1,inf,3\n", "bad.csv:2: column 'x1': 'inf' is not finite"),
        ("label,x1,x2\n1,2,3\n1,2\n", "bad.csv:3: 2 columns, but the header has 3"),
        ("label,x1,x2\n1,2,3,4\n", "bad.csv:2: 4 columns, but the header has 3"),
        ("label,x1\n ,2\n", "bad.csv:2: empty label"),
        ("label,x1\n\"cat,2\n", "bad.csv:2: unterminated quoted cell"),
        ("label\n1\n", "bad.csv:1: no feature columns besides 'label'"),
        ("label,x,x\n1,2,3\n", "bad.csv:1: column 'x' appears twice"),
        ("label,x1\n", "bad.csv: no samples"),
        ("", "bad.csv: empty file"),
        ("\n\n", "bad.csv: empty file"),
    ])
    func defectsFailWithOneLineNamingFileAndLine(text: String, expected: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.csv", text: text)
        #expect(errorMessage { try CSVReader.read(path: path) } == expected)
    }

    @Test func aFailedLoadLeavesTheRegistryUnchanged() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("c.csv", text: "label,x\nnew-label,1\nother,oops\n")
        var registry = LabelRegistry()
        registry.index(registering: "old")
        let before = registry
        #expect(throws: CSVError.self) { try DatasetLoader.load(path: path, registry: &registry) }
        #expect(registry == before)
    }

    @Test func wrongDimensionForTheModelIsOneLine() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("d.csv", text: "label,a,b,c\n1,1,2,3\n")
        var registry = LabelRegistry()
        let message = errorMessage { try DatasetLoader.load(path: path, registry: &registry, expectedDimension: 784) }
        #expect(message == "d.csv: 3 features per sample, but the model's input dimension is 784")
        #expect(registry.classCount == 0)
    }
}
