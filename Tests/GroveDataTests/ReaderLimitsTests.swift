import Foundation
import GroveData
import GroveTestSupport
import Testing

/// Each cap of ``ReaderLimits`` refuses a file one step beyond it with a one-line message naming
/// the file, the place and the flag that raises it, and lets a file exactly at it through.
struct ReaderLimitsTests {
    @Test func theDefaultsAreTheDocumentedOnes() {
        let limits = ReaderLimits.standard
        #expect(limits.maxFileBytes == 4 << 30)
        #expect(limits.maxDecompressedBytes == 8 << 30)
        #expect(limits.maxRows == 10_000_000)
        #expect(limits.maxFeatures == 100_000)
        #expect(limits.maxClasses == 10_000)
        #expect(limits.maxLabelLength == 256)
        #expect(ReaderLimits(maxRows: 0, maxClasses: .max).maxRows == 1)
        #expect(ReaderLimits(maxClasses: .max).maxClasses == Int(Int32.max))
    }

    @Test func fileSize() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("f.csv", text: "label,x\n1,2\n")  // 12 bytes
        #expect(errorMessage { try CSVReader.read(path: path, limits: ReaderLimits(maxFileBytes: 11)) }
            == "f.csv: 12 bytes, more than the cap of 11 bytes; raise it with --max-file-bytes")
        #expect(try CSVReader.read(path: path, limits: ReaderLimits(maxFileBytes: 12)).count == 1)
    }

    @Test func aGzipBombStopsAtTheDecompressedCap() throws {
        let dir = try TemporaryDirectory()
        let zeros = try dir.write("bomb.csv", bytes: [UInt8](repeating: 0, count: 10 << 20))
        let bomb = try dir.gzip(zeros)
        let compressed = try #require(FileManager.default.attributesOfItem(atPath: bomb)[.size] as? Int)
        #expect(compressed < 64 << 10)
        let limits = ReaderLimits(maxDecompressedBytes: 1 << 20)
        let expected = "bomb.csv.gz: more than 1048576 bytes after gzip decompression; raise the cap with --max-decompressed-bytes"
        #expect(errorMessage { try CSVReader.read(path: bomb, limits: limits) } == expected)
        let bytes = try #require(FileManager.default.contents(atPath: bomb))
        #expect(errorMessage { try JSONLReader.read(bytes: Array(bytes), name: "bomb.csv.gz", limits: limits) } == expected)
    }

    @Test func gzipOutputExactlyAtTheCapPasses() throws {
        let dir = try TemporaryDirectory()
        let text = "label,x\n1,2\n"
        let zipped = try dir.gzip(try dir.write("g.csv", text: text))
        let exact = ReaderLimits(maxDecompressedBytes: text.utf8.count)
        #expect(try CSVReader.read(path: zipped, limits: exact).features == [2])
        #expect(errorMessage { try CSVReader.read(path: zipped, limits: ReaderLimits(maxDecompressedBytes: text.utf8.count - 1)) }
            == "g.csv.gz: more than 11 bytes after gzip decompression; raise the cap with --max-decompressed-bytes")
    }

    @Test func rowsOfTextFiles() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("r.csv", text: "label,x\n1,2\n1,3\n\n1,4\n")
        let jsonl = try dir.write("r.jsonl", text: "{\"x\": [1], \"y\": 1}\n{\"x\": [2], \"y\": 1}\n{\"x\": [3], \"y\": 1}\n")
        let labels = try dir.write("y.txt", text: "a\nb\nc\n")
        let two = ReaderLimits(maxRows: 2)
        #expect(errorMessage { try CSVReader.read(path: csv, limits: two) } == "r.csv:5: more than 2 rows; raise the cap with --max-rows")
        #expect(errorMessage { try JSONLReader.read(path: jsonl, limits: two) } == "r.jsonl:3: more than 2 rows; raise the cap with --max-rows")
        #expect(errorMessage { try LabelsFile.read(path: labels, limits: two) } == "y.txt:3: more than 2 rows; raise the cap with --max-rows")
        let three = ReaderLimits(maxRows: 3)
        #expect(try CSVReader.read(path: csv, limits: three).count == 3)
        #expect(try JSONLReader.read(path: jsonl, limits: three).count == 3)
        #expect(try LabelsFile.read(path: labels, limits: three).codes.count == 3)
    }

    @Test func rowsDeclaredByBinaryHeaders() throws {
        let dir = try TemporaryDirectory()
        let idx = try dir.write("x-ubyte", bytes: Fixture.idx(dims: [3, 2], data: [1, 2, 3, 4, 5, 6]))
        let idxLabels = try dir.write("y-ubyte", bytes: Fixture.idx(dims: [3], data: [0, 1, 0]))
        let npy = try dir.write("x.npy", bytes: Fixture.npy(descr: "|u1", shape: [3, 2], data: [1, 2, 3, 4, 5, 6]))
        let npyLabels = try dir.write("y.npy", bytes: Fixture.npy(descr: "|u1", shape: [3], data: [0, 1, 0]))
        let two = ReaderLimits(maxRows: 2)
        #expect(errorMessage { try IDXReader.read(images: idx, labels: idxLabels, limits: two) }
            == "x-ubyte: header declares 3, more than 2 rows; raise the cap with --max-rows")
        #expect(errorMessage { try NPYReader.read(path: npy, labels: npyLabels, limits: two) }
            == "x.npy: header declares 3, more than 2 rows; raise the cap with --max-rows")
        #expect(errorMessage { try LabelsFile.read(path: npyLabels, limits: two) }
            == "y.npy: header declares 3, more than 2 rows; raise the cap with --max-rows")
        let three = ReaderLimits(maxRows: 3)
        #expect(try IDXReader.read(images: idx, labels: idxLabels, limits: three).count == 3)
        #expect(try NPYReader.read(path: npy, labels: npyLabels, limits: three).count == 3)
    }

    @Test func featuresPerSample() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("f.csv", text: "label,a,b,c\n1,2,3,4\n")
        let jsonl = try dir.write("f.jsonl", text: "{\"y\": 1, \"x\": [1, 2, 3]}\n")
        let idx = try dir.write("x-ubyte", bytes: Fixture.idx(dims: [1, 1, 3], data: [1, 2, 3]))
        let npy = try dir.write("x.npy", bytes: Fixture.npy(descr: "|u1", shape: [1, 3], data: [1, 2, 3]))
        let two = ReaderLimits(maxFeatures: 2)
        #expect(errorMessage { try CSVReader.read(path: csv, limits: two) }
            == "f.csv:1: more than 2 features per sample; raise the cap with --max-features")
        #expect(errorMessage { try JSONLReader.read(path: jsonl, limits: two) }
            == "f.jsonl:1: more than 2 features per sample; raise the cap with --max-features")
        #expect(errorMessage { try IDXReader.readImages(path: idx, limits: two) }
            == "x-ubyte: header declares 3, more than 2 features per sample; raise the cap with --max-features")
        #expect(errorMessage { try NPYReader.readFeatures(path: npy, limits: two) }
            == "x.npy: header declares 3, more than 2 features per sample; raise the cap with --max-features")
        let three = ReaderLimits(maxFeatures: 3)
        #expect(try CSVReader.read(path: csv, limits: three).dimension == 3)
        #expect(try JSONLReader.read(path: jsonl, limits: three).dimension == 3)
        #expect(try IDXReader.readImages(path: idx, limits: three).dimension == 3)
        #expect(try NPYReader.readFeatures(path: npy, limits: three).dimension == 3)
    }

    @Test func distinctLabels() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("c.csv", text: "label,x\na,1\nb,2\na,3\nc,4\n")
        let jsonl = try dir.write("c.jsonl", text: "{\"x\": [1], \"y\": 1}\n{\"x\": [2], \"y\": \"b\"}\n{\"x\": [3], \"y\": 3}\n")
        let labels = try dir.write("y.txt", text: "a\nb\nc\n")
        let idxLabels = try dir.write("y-ubyte", bytes: Fixture.idx(dims: [4], data: [7, 7, 8, 9]))
        let wide = Fixture.idx(dtype: 0x0C, dims: [3], data: Fixture.bytes([Int32(1000), 2000, 3000] as [Int32], bigEndian: true))
        let two = ReaderLimits(maxClasses: 2)
        #expect(errorMessage { try CSVReader.read(path: csv, limits: two) }
            == "c.csv:5: more than 2 distinct labels; raise the cap with --max-classes")
        #expect(errorMessage { try JSONLReader.read(path: jsonl, limits: two) }
            == "c.jsonl:3: more than 2 distinct labels; raise the cap with --max-classes")
        #expect(errorMessage { try LabelsFile.read(path: labels, limits: two) }
            == "y.txt:3: more than 2 distinct labels; raise the cap with --max-classes")
        #expect(errorMessage { try IDXReader.readLabels(bytes: Array(try #require(FileManager.default.contents(atPath: idxLabels))), name: "y-ubyte", limits: two) }
            == "y-ubyte: record 4: more than 2 distinct labels; raise the cap with --max-classes")
        #expect(errorMessage { try IDXReader.readLabels(bytes: wide, name: "w-ubyte", limits: two) }
            == "w-ubyte: record 3: more than 2 distinct labels; raise the cap with --max-classes")
        let three = ReaderLimits(maxClasses: 3)
        #expect(try CSVReader.read(path: csv, limits: three).labelNames == ["a", "b", "c"])
        #expect(try JSONLReader.read(path: jsonl, limits: three).labelNames == ["1", "b", "3"])
        #expect(try LabelsFile.read(path: labels, limits: three).names.count == 3)
        #expect(try IDXReader.readLabels(bytes: Array(try #require(FileManager.default.contents(atPath: idxLabels))), name: "y-ubyte", limits: three).names == ["7", "8", "9"])
        #expect(try IDXReader.readLabels(bytes: wide, name: "w-ubyte", limits: three).names == ["1000", "2000", "3000"])
    }

    @Test func labelLength() throws {
        let dir = try TemporaryDirectory()
        let labels = try dir.write("y.txt", text: "cat\nsandal\n")
        let csv = try dir.write("l.csv", text: "label,x\ncat,1\n\"sandal\",2\n")
        let jsonl = try dir.write("l.jsonl", text: "{\"x\": [1], \"y\": \"cat\"}\n{\"x\": [1], \"y\": \"sandal\"}\n")
        let idxLabels = Fixture.idx(dims: [2], data: [7, 200])
        let five = ReaderLimits(maxLabelLength: 5)
        #expect(errorMessage { try LabelsFile.read(path: labels, limits: five) }
            == "y.txt:2: label of 6 bytes, longer than the cap of 5; raise it with --max-label-length")
        #expect(errorMessage { try CSVReader.read(path: csv, limits: five) }
            == "l.csv:3: label of 6 bytes, longer than the cap of 5; raise it with --max-label-length")
        #expect(errorMessage { try JSONLReader.read(path: jsonl, limits: five) }
            == "l.jsonl:2: label of 6 bytes, longer than the cap of 5; raise it with --max-label-length")
        #expect(errorMessage { try IDXReader.readLabels(bytes: idxLabels, name: "y-ubyte", limits: ReaderLimits(maxLabelLength: 2)) }
            == "y-ubyte: record 2: label of 3 bytes, longer than the cap of 2; raise it with --max-label-length")
        let six = ReaderLimits(maxLabelLength: 6)
        #expect(try LabelsFile.read(path: labels, limits: six).names == ["cat", "sandal"])
        #expect(try CSVReader.read(path: csv, limits: six).labelNames == ["cat", "sandal"])
        #expect(try JSONLReader.read(path: jsonl, limits: six).labelNames == ["cat", "sandal"])
        #expect(try IDXReader.readLabels(bytes: idxLabels, name: "y-ubyte", limits: ReaderLimits(maxLabelLength: 3)).names == ["7", "200"])
    }

    @Test func theLoaderAndManifestsPassTheLimitsOn() throws {
        let dir = try TemporaryDirectory()
        try dir.write("d.csv", text: "label,a,b\n0,1,2\n1,3,4\n")
        try dir.write("m.yaml", text: "name: t\ndomains:\n  - name: d\n    source: {path: d.csv}\n")
        let one = ReaderLimits(maxRows: 1)
        var registry = LabelRegistry()
        var columns: [String]?
        #expect(errorMessage { try DatasetLoader.load(path: dir.path + "/d.csv", registry: &registry, limits: one) }
            == "d.csv:3: more than 1 rows; raise the cap with --max-rows")
        #expect(errorMessage { try DatasetLoader.readFeatures(path: dir.path + "/d.csv", limits: one) }
            == "d.csv:3: more than 1 rows; raise the cap with --max-rows")
        let domain = try JobManifest.load(path: dir.path + "/m.yaml").domains[0]
        #expect(errorMessage { try domain.materialize(registry: &registry, columns: &columns, limits: one) }
            == "d.csv:3: more than 1 rows; raise the cap with --max-rows")
        #expect(registry.labels.isEmpty)
        #expect(try domain.materialize(registry: &registry, columns: &columns).train.count == 2)
    }
}

/// Paths that are not regular files are refused before they are opened.
struct NonRegularFileTests {
    @Test func aDirectoryIsRefused() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/data.csv", withIntermediateDirectories: false)
        #expect(errorMessage { try CSVReader.read(path: dir.path + "/data.csv") } == "data.csv: cannot read file: not a regular file")
        #expect(errorMessage { try JobManifest.load(path: dir.path + "/data.csv") }
            == "data.csv: cannot read manifest: not a regular file")
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        let fifo = dir.path + "/labels.txt"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(errorMessage { try LabelsFile.read(path: fifo) } == "labels.txt: cannot read file: not a regular file")
        #expect(errorMessage { try IDXReader.readImages(path: fifo) } == "labels.txt: cannot read file: not a regular file")
    }
}

/// Manifests are small documents: a size cap, no anchors or aliases, bounded nesting.
struct ManifestLimitsTests {
    @Test func aManifestAboveItsCapIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("m.yaml", text: "name: t\n" + String(repeating: "#", count: 100) + "\n")
        #expect(errorMessage { try JobManifest.load(path: path, maxBytes: 100) }
            == "m.yaml: 109 bytes, more than the 100 bytes a manifest may have")
    }

    @Test func anchorsAndAliasesAreRefused() {
        let yaml = "name: &n t\nmodel: *n\ndomains: []\n"
        #expect(errorMessage { try JobManifest.parse(yaml, file: "m.yaml") }
            == "m.yaml:1: invalid manifest syntax: anchors and aliases are not supported")
    }

    @Test func nestedAliasesAreRefusedBeforeTheyExpand() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1 ..< 9 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        lines.append("? *a8\n: v\n")
        #expect(errorMessage { try JobManifest.parse(lines.joined(separator: "\n"), file: "m.yaml") }
            == "m.yaml:1: invalid manifest syntax: anchors and aliases are not supported")
        #expect(errorMessage { try JobManifest.parse("name: t\nmodel: *n\ndomains: []\n", file: "m.yaml") }?
            .contains("invalid manifest syntax") == true)
        #expect(errorMessage { try JobManifest.parse("name: t\ndescription: R&D, a & b\ndomains: []\n", file: "m.yaml") }
            == "m.yaml:3: domains: at least one domain is required")
    }

    /// Found by FuzzManifestYAML: Yams trapped converting an overflowing base-60 integer.
    @Test func anOverflowingBase60IntegerIsNotACrash() {
        #expect(errorMessage { try JobManifest.parse(bytes: Array("6666666666666666635:8".utf8), file: "m.yaml") }
            == "m.yaml:1: (root): expected an object")
        let yaml = "name: t\ndomains:\n  - name: d\n    source: {path: d.csv, permutation_seed: 6666666666666666635:8}\n"
        #expect(errorMessage { try JobManifest.parse(yaml, file: "m.yaml") }
            == "m.yaml:4: domains[0].source.permutation_seed: expected a non-negative integer")
    }

    @Test func deepNestingIsRefused() {
        let yaml = "name: t\ndescription: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n"
        #expect(errorMessage { try JobManifest.parse(yaml, file: "m.yaml") }
            == "m.yaml:2: invalid manifest syntax: nested deeper than 32 levels")
    }
}
