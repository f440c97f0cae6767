import GroveData
import GroveTestSupport
import Testing

struct JSONLReaderTests {
    @Test func objectsPerLineRoundTripWithIntegerAndStringLabels() throws {
        let dir = try TemporaryDirectory()
        let text = """
            {"x": [0.5, 1, -2.5e-1], "y": 3}
            {"y": "sandal", "id": {"k": [1, "a"]}, "x":[1.0,0,0]}

            {"x": [ 0 , 0 , 0 ] , "y" : "3", "note": "a \\"quoted\\" \\u00e9 word"}
            """
        let raw = try JSONLReader.read(path: dir.write("s.jsonl", text: text))
        #expect(raw.dimension == 3)
        #expect(raw.count == 3)
        #expect(raw.features == [0.5, 1, -0.25, 1, 0, 0, 0, 0, 0])
        #expect(raw.labelNames == ["3", "sandal"])
        #expect(raw.labelCodes == [0, 1, 0])
    }

    @Test func largeFilesParseInOnePass() throws {
        let dir = try TemporaryDirectory()
        let row = (0 ..< 784).map { String(Float($0 % 256) / 255) }.joined(separator: ", ")
        let text = (0 ..< 2000).map { "{\"x\": [\(row)], \"y\": \($0 % 10)}" }.joined(separator: "\n")
        let raw = try JSONLReader.read(path: dir.write("big.jsonl", text: text))
        #expect(raw.count == 2000)
        #expect(raw.dimension == 784)
        #expect(raw.features[785] == Float(1) / 255)
    }

    @Test(arguments: [
        ("{\"x\": [1, 2], \"y\": 1}\n{\"x\": [1, 2], \"y\": 1\n", "bad.jsonl:2: bad JSON: expected '}' before the end of the line"),
        ("{\"x\": [1, 2], \"y\": 1}\nnot json\n", "bad.jsonl:2: bad JSON: expected '{' at column 1"),
        ("{\"x\": [1, 2], \"y\": 1}\n{\"x\": [1, 2]}\n", "bad.jsonl:2: missing field 'y'"),
        ("{\"y\": 1}\n", "bad.jsonl:1: missing field 'x'"),
        ("{\"x\": [1, 2], \"y\": 1}\n{\"x\": [1, 2, 3], \"y\": 1}\n", "bad.jsonl:2: field 'x' has 3 values, expected 2"),
        ("{\"x\": [1, NaN], \"y\": 1}\n", "bad.jsonl:1: field 'x' value 1 is not finite"),
        ("{\"x\": [-Infinity], \"y\": 1}\n", "bad.jsonl:1: field 'x' value 0 is not finite"),
        ("{\"x\": [1, \"a\"], \"y\": 1}\n", "bad.jsonl:1: bad JSON: field 'x' value 1 is nothing, not a number"),
        ("{\"x\": [1, true], \"y\": 1}\n", "bad.jsonl:1: bad JSON: field 'x' value 1 is 'true', not a number"),
        ("{\"x\": 1, \"y\": 1}\n", "bad.jsonl:1: bad JSON: field 'x' is not an array"),
        ("{\"x\": [1], \"y\": 1.5}\n", "bad.jsonl:1: field 'y' must be an integer or a non-empty string, got 1.5"),
        ("{\"x\": [1], \"y\": null}\n", "bad.jsonl:1: field 'y' must be an integer or a non-empty string, got null"),
        ("{\"x\": [], \"y\": 1}\n", "bad.jsonl:1: field 'x' has 0 values, expected 1"),
        ("{\"x\": [1], \"y\": 1} trailing\n", "bad.jsonl:1: bad JSON: unexpected text after the object"),
        ("\n\n", "bad.jsonl: no samples"),
        ("", "bad.jsonl: empty file"),
    ])
    func defectsFailWithOneLineNamingFileAndLine(text: String, expected: String) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.jsonl", text: text)
        #expect(errorMessage { try JSONLReader.read(path: path) } == expected)
    }
}
