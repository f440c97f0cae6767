import Foundation
import GroveService
import Hummingbird
import Testing

/// `schemas/openapi.yaml` describes every route the router serves.
@Suite struct HTTPOpenAPITests {
    static let specURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/openapi.yaml")

    /// Paths and their methods, read with a line scan: `  /path:` under `paths:`, then `    get:`.
    static func describedOperations(_ text: String) -> Set<String> {
        var operations: Set<String> = []
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.isEmpty { inPaths = line == "paths:"; path = nil; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "put", "post", "delete", "patch", "head", "options"].contains(method) {
                    operations.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func everyRouteIsDescribed() throws {
        let text = try String(contentsOf: Self.specURL, encoding: .utf8)
        #expect(text.hasPrefix("openapi: 3.1"))
        let described = Self.describedOperations(text)
        let served = Set(GroveRoute.allCases.map { "\($0.method.rawValue) \($0.path)" })
        #expect(served.subtracting(described).isEmpty, "not described: \(served.subtracting(described).sorted())")
        #expect(described.subtracting(served).isEmpty, "described but not served: \(described.subtracting(served).sorted())")
    }

    @Test func theSpecIsValidYAMLWithTheSamePaths() throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { return }  // no python3 here: the line scan above still ran
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        let script = """
        import sys, yaml
        spec = yaml.safe_load(open(sys.argv[1]))
        assert spec["openapi"].startswith("3.1"), "not OpenAPI 3.1"
        for path, item in spec["paths"].items():
            for method, operation in item.items():
                assert "responses" in operation, f"{method} {path}: no responses"
                print(method.upper(), path)
        """
        process.arguments = ["-c", script, Self.specURL.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            // python3 without PyYAML cannot check anything; any other failure is a broken spec.
            let check = Process()
            check.executableURL = URL(fileURLWithPath: python)
            check.arguments = ["-c", "import yaml"]
            try check.run()
            check.waitUntilExit()
            guard check.terminationStatus != 0 else {
                Issue.record("python3 rejected schemas/openapi.yaml")
                return
            }
            return
        }
        let lines = Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
        #expect(lines == Self.describedOperations(try String(contentsOf: Self.specURL, encoding: .utf8)))
    }
}
