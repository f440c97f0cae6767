import Foundation
import GroveData

/// Checks of a submitted dataset spec that give a one-line 400 instead of a job bound to fail.
enum SpecValidation {
    /// The fields a spec is first looked at by, each optional so that a missing one can be named.
    private struct Probe: Decodable {
        struct Spec: Decodable { var source: Source? }
        struct Source: Decodable { var format: String?; var path: String? }
        var spec: Spec?
    }

    /// Decodes a `POST /v1/jobs` body, naming the first missing or unknown field.
    /// - Throws: ``APIError`` (400) or a `DecodingError` (mapped to 400).
    static func decode(_ data: Data) throws -> APIJobSubmission {
        guard !data.isEmpty else { throw APIError.badRequest("the request needs a JSON body {\"model\", \"spec\"}") }
        let probe = try JSONDecoder().decode(Probe.self, from: data)
        guard let spec = probe.spec else { throw APIError.badRequest("'spec' is required (a dataset spec with a 'source')") }
        guard let source = spec.source else { throw APIError.badRequest("spec.source is required") }
        let formats = DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ")
        guard let format = source.format else { throw APIError.badRequest("spec.source.format is required (one of \(formats))") }
        guard DatasetFormat(rawValue: format) != nil else {
            throw APIError.badRequest("spec.source.format: unknown format '\(format)'; use one of \(formats)")
        }
        guard let path = source.path, !path.isEmpty else { throw APIError.badRequest("spec.source.path is required") }
        return try JSONDecoder().decode(APIJobSubmission.self, from: data)
    }

    /// Checks the spec's fields and that formats with separate labels have them.
    /// - Throws: ``APIError`` (400) naming the field.
    static func check(_ spec: DatasetSpec) throws {
        let source = spec.source
        if let limit = spec.limit, limit < 1 {
            throw APIError.badRequest("spec.limit \(limit): learn from at least 1 sample, or leave it out for all")
        }
        if let domain = spec.domain, !isIdentifier(domain) {
            throw APIError.badRequest("spec.domain '\(domain)': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        if source.format.needsLabelsFile {
            guard source.labels != nil else {
                throw APIError.badRequest("spec.source.labels is required for \(source.format.rawValue) files")
            }
            if source.testPath != nil, source.testLabels == nil {
                throw APIError.badRequest("spec.source.test_labels is required with test_path for \(source.format.rawValue) files")
            }
        }
        // The files themselves are checked by `Submissions` against the daemon's data access.
    }

    /// Whether `name` follows the manifest's name rule `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
        func alphanumeric(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c)) }
        return alphanumeric(first) && name.unicodeScalars.allSatisfy { alphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }
}
