import Foundation
import Testing
@testable import GroveReport

/// The JSON of real reports validates against `schemas/report.schema.json` (python3's
/// `jsonschema`, draft 2020-12), and documents breaking the contract are rejected.
@Suite struct JSONSchemaTests {
    @Test func reportJSONValidatesAgainstTheSchemaAndBrokenDocumentsDoNot() throws {
        let learner = try ReportFixtures.learner.get()
        let valid = [
            try Report(learner: learner, model: "default").render(.json),
            try ReportFixtures.small.render(.json),
            try ReportFixtures.synthetic(domains: 5, phases: 8).render(.json),
            try Report(learner: .init(), model: "empty").render(.json),
            try ReportFixtures.drifting.render(.json),
            try ReportFixtures.rolledBack.render(.json),
        ]
        // Each breaks one contract rule: accuracy above 1, a bad decision, a missing `frozen`,
        // a window's p-value above 1, an event without its rows, a rollback to version 0.
        let small = try ReportFixtures.small.render(.json)
        let drifting = try ReportFixtures.drifting.render(.json)
        let rolledBack = try ReportFixtures.rolledBack.render(.json)
        let invalid = [
            small.replacingOccurrences(of: #""tops" : 0.981"#, with: #""tops" : 98.1"#),
            small.replacingOccurrences(of: #""decision" : "known""#, with: #""decision" : "maybe""#),
            small.replacingOccurrences(of: #""frozen" : true,"#, with: ""),
            drifting.replacingOccurrences(of: #""p_value" : 0.4"#, with: #""p_value" : 1.4"#),
            drifting.replacingOccurrences(of: #""rows" : 768,"#, with: ""),
            rolledBack.replacingOccurrences(of: #""rolled_back_to" : 1"#, with: #""rolled_back_to" : 0"#),
        ]
        #expect(zip(invalid, [small, small, small, drifting, drifting, rolledBack]).allSatisfy { $0 != $1 }, "each invalid document differs")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grove-report-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (i, text) in (valid + invalid).enumerated() {
            let url = directory.appendingPathComponent("\(i).json")
            try Data(text.utf8).write(to: url)
            paths.append(url.path)
        }
        let script = """
            import json, sys
            from jsonschema import Draft202012Validator
            schema = json.load(open(sys.argv[1]))
            Draft202012Validator.check_schema(schema)
            v = Draft202012Validator(schema)
            valid = int(sys.argv[2])
            for i, path in enumerate(sys.argv[3:]):
                errors = sorted(v.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
                if i < valid and errors: print(path, list(errors[0].path), errors[0].message); sys.exit(1)
                if i >= valid and not errors: print(path, "invalid document accepted"); sys.exit(1)
            print("ok")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, ReportFixtures.repositoryRoot + "/schemas/report.schema.json", String(valid.count)] + paths
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
