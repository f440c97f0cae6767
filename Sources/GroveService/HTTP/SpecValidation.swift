import Foundation
import GroveData

/// The `POST /v1/jobs` body checked against `JobSubmission` in `schemas/openapi.yaml` (every
/// range, enum, pattern, length and unknown field), then the files it names: a one-line 400
/// naming the field instead of a job bound to fail.
enum SpecValidation {
    /// The largest `spec.limit`.
    static let maxLimit: Int64 = 1_000_000_000
    /// The longest path in a source.
    static let maxPathLength = 4096
    /// The most classes a source may keep.
    static let maxClasses = 10_000
    /// The longest class name.
    static let maxClassLength = 256
    /// The largest `permutation_seed` (2^53 − 1, exact in every JSON reader).
    static let maxSeed: Int64 = 9_007_199_254_740_991

    /// Checks and decodes a `POST /v1/jobs` body.
    /// - Throws: ``APIError`` (400) naming the first field that breaks the schema.
    static func decode(_ data: Data) throws -> APIJobSubmission {
        guard !data.isEmpty else { throw APIError.badRequest("the request needs a JSON body {\"model\", \"spec\"}") }
        let tree = try JSONDecoder().decode(JSONValue.self, from: data)
        try validate(tree)
        return try JSONDecoder().decode(APIJobSubmission.self, from: data)
    }

    /// Checks a body against `JobSubmission`.
    /// - Throws: ``APIError`` (400) naming the field.
    static func validate(_ body: JSONValue) throws {
        let root = SchemaCheck(path: "")
        let top = try root.object(body, allowed: ["model", "spec"], required: ["spec"])
        if let model = top["model"] {
            _ = try root.child("model").string(model, minLength: 1, maxLength: ModelName.maximumLength,
                                               rule: ("use letters, digits, '.', '_' or '-'", ModelName.isValid))
        }
        let spec = root.child("spec")
        let specFields = try spec.object(top["spec"] ?? .null, allowed: ["domain", "source", "limit"], required: ["source"])
        if let domain = specFields["domain"], domain != .null {
            _ = try spec.child("domain").string(domain, minLength: 1, maxLength: 64,
                                                rule: ("use letters, digits, '.', '_' or '-', starting with a letter or digit", isIdentifier))
        }
        if let limit = specFields["limit"], limit != .null {
            _ = try spec.child("limit").integer(limit, in: 1...maxLimit)
        }
        try validate(source: specFields["source"] ?? .null, at: spec.child("source"))
    }

    /// Checks a `Source`.
    static func validate(source value: JSONValue, at check: SchemaCheck) throws {
        let keys = ["format", "path", "labels", "test_path", "test_labels", "classes", "permutation_seed", "rotation_degrees"]
        let fields = try check.object(value, allowed: keys, required: ["format", "path"])
        let format = try check.child("format").enumeration(fields["format"] ?? .null, DatasetFormat.allCases.map(\.rawValue))
        let noNUL: (String, (String) -> Bool) = ("must not contain NUL", { !$0.unicodeScalars.contains("\u{0}") })
        for key in ["path", "labels", "test_path", "test_labels"] {
            guard let path = fields[key] else { continue }
            _ = try check.child(key).string(path, minLength: 1, maxLength: maxPathLength, rule: noNUL)
        }
        if DatasetFormat(rawValue: format)?.needsLabelsFile == true {
            if fields["labels"] == nil { throw check.child("labels").fail("is required for \(format) files") }
            if fields["test_path"] != nil, fields["test_labels"] == nil {
                throw check.child("test_labels").fail("is required with test_path for \(format) files")
            }
        }
        if fields["test_labels"] != nil, fields["test_path"] == nil {
            throw check.child("test_labels").fail("given without test_path")
        }
        if let classes = fields["classes"] {
            let list = check.child("classes")
            var seen: Set<String> = []
            for (i, item) in try list.array(classes, minItems: 1, maxItems: maxClasses).enumerated() {
                let name = try list.element(i).string(item, minLength: 1, maxLength: maxClassLength)
                guard seen.insert(name).inserted else { throw list.element(i).fail("class '\(name)' is listed twice") }
            }
        }
        if let seed = fields["permutation_seed"] {
            _ = try check.child("permutation_seed").integer(seed, in: 0...maxSeed)
        }
        if let degrees = fields["rotation_degrees"] {
            _ = try check.child("rotation_degrees").number(degrees, in: -360...360)
        }
    }

    /// Whether `name` follows the manifest's name rule `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64 else { return false }
        func alphanumeric(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c)) }
        return alphanumeric(first) && name.unicodeScalars.allSatisfy { alphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }
}
