import Foundation
@testable import GroveData
import GroveTestSupport
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

struct JobManifestTests {
    static let valid = """
        name: tiny
        domains:
          - name: first
            source:
              path: a.csv
              classes: [0, "cat"]
              permutation_seed: 7
              rotation_degrees: 12.5
        """

    @Test func yamlParsesWithDefaultsAndResolvesRelativePaths() throws {
        let manifest = try JobManifest.parse(Self.valid, file: "tiny.yaml", baseDirectory: "/data")
        #expect(manifest.name == "tiny")
        #expect(manifest.model == "default")
        let source = manifest.domains[0].source
        #expect(source.format == .csv)
        #expect(source.path == "/data/a.csv")
        #expect(source.classes == ["0", "cat"])
        #expect(source.permutationSeed == 7)
        #expect(source.rotationDegrees == 12.5)
    }

    @Test func jsonParsesToTheSameManifest() throws {
        let json = """
            {"name": "tiny", "domains": [{"name": "first", "source":
              {"path": "a.csv", "classes": [0, "cat"], "permutation_seed": 7, "rotation_degrees": 12.5}}]}
            """
        #expect(try JobManifest.parse(json, file: "tiny.json") == JobManifest.parse(Self.valid, file: "tiny.yaml"))
    }

    @Test func aManifestBuiltInCodeValidatesLikeAParsedOne() throws {
        let parsed = try JobManifest.parse(Self.valid, file: "tiny.yaml")
        #expect(try parsed.validated(file: "code") == parsed)
        var bad = parsed
        bad.domains.append(bad.domains[0])
        #expect(errorMessage { try bad.validated(file: "code") }
            == "code: domains[1].name: duplicate domain name 'first'")
    }

    @Test(arguments: [
        ("name: t\ndomains: []\n", "m.yaml:2: domains: at least one domain is required"),
        ("domains:\n  - name: a\n    source: {path: a.csv}\n", "m.yaml:1: name: required field is missing"),
        ("name: t\ncolour: red\ndomains:\n  - name: a\n    source: {path: a.csv}\n", "m.yaml:2: colour: unknown field"),
        ("name: t\ndomains:\n  - name: a\n    source: {path: a.csv, seed: 3}\n", "m.yaml:4: domains[0].source.seed: unknown field"),
        ("name: t\ndomains:\n  - name: a\n", "m.yaml:3: domains[0].source: required field is missing"),
        ("name: t\ndomains:\n  - name: a\n    source:\n      path: a.idx\n", "m.yaml:5: domains[0].source.labels: required field is missing"),
        ("name: t\ndomains:\n  - name: a\n    source: {path: a.csv, classes: [1, [2]]}\n",
         "m.yaml:4: domains[0].source.classes[1]: expected a non-negative integer or a non-empty string"),
        ("name: t\ndomains:\n  - name: a\n    source: {path: a.csv, classes: [1, 1]}\n",
         "m.yaml:4: domains[0].source.classes[1]: class '1' is listed twice"),
        ("name: t\ndomains:\n  - name: a\n    source: {path: a.csv, permutation_seed: -1}\n",
         "m.yaml:4: domains[0].source.permutation_seed: must be >= 0, got -1"),
        ("name: t\ndomains:\n  - name: a\n    source: {path: a.csv, rotation_degrees: 400}\n",
         "m.yaml:4: domains[0].source.rotation_degrees: must be within [-360, 360], got 400.0"),
        ("name: t\ndomains:\n  - name: a\n    source: {path: a.csv, format: parquet}\n",
         "m.yaml:4: domains[0].source.format: 'parquet' is not one of idx, csv, jsonl, npy"),
        ("name: t\ndomains:\n  - name: a\n    source: {path: a.parquet}\n",
         "m.yaml:4: domains[0].source.path: cannot infer the format from 'a.parquet'; add a 'format' field"),
        ("name: t\ndomains:\n  - name: a b\n    source: {path: a.csv}\n",
         "m.yaml:3: domains[0].name: 'a b' must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"),
        ("name: 3\ndomains:\n  - name: a\n    source: {path: a.csv}\n", "m.yaml:1: name: expected a string"),
        ("name: t\ndomains: {a: 1}\n", "m.yaml:2: domains: expected a list of domains"),
        ("name: t\ndomains:\n  - name: a\n   source: {path: a.csv}\n", "m.yaml:4: invalid manifest syntax: while parsing a block collection did not find expected '-' indicator"),
        ("", "m.yaml: invalid manifest syntax: empty document"),
    ])
    func defectsFailWithOneLineNamingFileAndFieldPath(text: String, expected: String) {
        let message = errorMessage { try JobManifest.parse(text, file: "m.yaml") }
        #expect(message == expected)
    }

    @Test func jsonDefectsNameTheFieldPath() {
        let json = #"{"name": "t", "domains": [{"name": "a", "source": {"path": "a.csv", "classes": "0"}}]}"#
        #expect(errorMessage { try JobManifest.parse(json, file: "m.json") }
            == "m.json: domains[0].source.classes: expected a list of class labels")
        #expect(errorMessage { try JobManifest.parse("{\"name\": ", file: "m.json") }?.hasPrefix("m.json: invalid manifest syntax: ") == true)
    }

    @Test func materialisingADomainKeepsClassesAndPermutesPixels() throws {
        let dir = try TemporaryDirectory()
        try dir.write("d.csv", text: "label,a,b,c,d\n0,1,2,3,4\n1,5,6,7,8\n2,9,10,11,12\n")
        let yaml = """
            name: t
            domains:
              - name: plain
                source: {path: d.csv, classes: [0, 2]}
              - name: shuffled
                source: {path: d.csv, classes: [0, 2], permutation_seed: 5}
            """
        try dir.write("m.yaml", text: yaml)
        let manifest = try JobManifest.load(path: dir.path + "/m.yaml")
        var registry = LabelRegistry()
        var columns: [String]?
        let plain = try manifest.domains[0].materialize(registry: &registry, columns: &columns)
        let shuffled = try manifest.domains[1].materialize(registry: &registry, columns: &columns, expectedDimension: 4)
        #expect(plain.train.features == [1, 2, 3, 4, 9, 10, 11, 12])
        #expect(plain.train.labels == [0, 2])
        #expect(plain.test == nil)
        let p = PixelPermutation.make(seed: 5, count: 4)
        #expect(shuffled.train.features == [p.map { Float($0 + 1) }, p.map { Float($0 + 9) }].flatMap { $0 })
        #expect(registry.labels == ["0", "2"])
    }

    @Test func shippedManifestsMatchTheJSONSchema() throws {
        let dir = try TemporaryDirectory()
        var documents: [String] = []
        let shipped = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/jobs").filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(shipped.count >= BuiltinStream.allCases.count)
        for file in shipped {
            let text = try String(contentsOfFile: repositoryRoot + "/jobs/" + file, encoding: .utf8)
            let node = try ManifestNode.yaml(text, file: file)
            let json = try JSONSerialization.data(withJSONObject: node.jsonObject, options: [.sortedKeys])
            documents.append(try dir.write(file + ".json", bytes: Array(json)))
        }
        // Documents the schema must reject, to show it is not vacuous.
        let invalid = try dir.write("invalid.json", text: #"{"name": "x", "domains": [{"name": "a", "source": {"path": "a.idx", "format": "idx"}}]}"#)
        let script = """
            import json, sys
            from jsonschema import Draft202012Validator
            schema = json.load(open(sys.argv[1]))
            Draft202012Validator.check_schema(schema)
            v = Draft202012Validator(schema)
            for path in sys.argv[2:-1]:
                errors = list(v.iter_errors(json.load(open(path))))
                if errors: print(path, errors[0].message); sys.exit(1)
            if not list(v.iter_errors(json.load(open(sys.argv[-1])))): print("invalid manifest accepted"); sys.exit(1)
            print("ok")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, repositoryRoot + "/schemas/job.schema.json"] + documents + [invalid]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            print("skipped: python3 is absent (\(output.trimmingCharacters(in: .whitespacesAndNewlines)))")
            return
        }
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.hasSuffix("ok\n"), "\(output)")
    }
}
