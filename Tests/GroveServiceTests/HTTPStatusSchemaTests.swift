import Foundation
import GroveNumerics
import GroveService
import Testing

/// `GET /v1/status` answers what `schemas/openapi.yaml` says, BLAS kernels included.
@Suite struct HTTPStatusSchemaTests {
    @Test func theStatusNamesTheBLASCoreAndWhoChoseIt() async throws {
        try await HTTPFixture.withRouter { client, _ in
            let response = try await client.send(.get, "/v1/status")
            #expect(response.status == .ok)
            let status = try response.decoded(APIStatus.self)
            #expect(status.blas.core == BLAS.coreName && status.blas.coreSource == BLAS.coreSource)
            #expect(status.blas.threads >= 1)
            try Self.validate(response.text, against: "Status")
        }
    }

    @Test func theSpecListsEveryCoreSource() throws {
        let spec = try String(contentsOf: HTTPOpenAPITests.specURL, encoding: .utf8)
        let sources = BLASCoreSource.allCases.map(\.rawValue).joined(separator: ", ")
        #expect(spec.contains("core_source: { type: string, enum: [\(sources)] }"))
    }

    /// Checks `json` against the named component schema with python3's `jsonschema`; does
    /// nothing where python3, PyYAML or jsonschema is missing.
    static func validate(_ json: String, against schema: String) throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        let script = """
        import json, sys
        try:
            import jsonschema, yaml
        except ImportError:
            sys.exit(0)
        spec = yaml.safe_load(open(sys.argv[1]))
        root = dict(spec, **{"$ref": "#/components/schemas/" + sys.argv[2]})
        jsonschema.Draft202012Validator(root).validate(json.loads(sys.stdin.read()))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, HTTPOpenAPITests.specURL.path, schema]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(json.utf8))
        try input.fileHandleForWriting.close()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(schema): \(String(decoding: message, as: UTF8.self))")
    }
}
