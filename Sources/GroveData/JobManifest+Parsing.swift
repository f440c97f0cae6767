import Foundation

// MARK: - Loading and parsing

extension JobManifest {
    /// The largest manifest file ``load(path:maxBytes:)`` reads by default: 1 MiB. A manifest
    /// lists domains and file paths; a thousand domains take about 400 KiB.
    public static let maxFileBytes = 1 << 20

    /// Reads and validates the manifest at `path` (`.json` as JSON, anything else as YAML).
    ///
    /// Relative source paths are resolved against the manifest's directory.
    /// - Parameter maxBytes: the largest file accepted.
    /// - Throws: ``ManifestError`` naming the file, line (YAML) and field path.
    public static func load(path: String, maxBytes: Int = maxFileBytes) throws -> JobManifest {
        let file = FileBytes.displayName(path)
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.readRaw(path, name: file, maxBytes: maxBytes)
        } catch let error as DatasetError {
            if case .unreadable(_, let reason) = error { throw ManifestError.unreadable(file: file, reason: reason) }
            throw ManifestError.unreadable(file: file, reason: error.description)
        } catch ReaderLimitError.fileTooLarge(_, let size, let limit) {
            throw ManifestError.tooLarge(file: file, bytes: size, limit: limit)
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(bytes: bytes, file: file, baseDirectory: directory.isEmpty ? "." : directory)
    }

    /// Parses and validates a manifest file's bytes, which must be UTF-8 text.
    /// - Throws: ``ManifestError``, as ``parse(_:file:baseDirectory:)``.
    public static func parse(bytes: [UInt8], file: String, baseDirectory: String? = nil) throws -> JobManifest {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ManifestError.syntax(file: file, line: nil, reason: "not UTF-8 text")
        }
        return try parse(text, file: file, baseDirectory: baseDirectory)
    }

    /// Parses and validates manifest text.
    ///
    /// - Parameters:
    ///   - text: YAML, or JSON when `file` ends in `.json` (or the text starts with `{`).
    ///   - file: the manifest's name, for messages.
    ///   - baseDirectory: the directory relative source paths are resolved against, or `nil` to
    ///     keep them as written.
    /// - Throws: ``ManifestError``.
    public static func parse(_ text: String, file: String, baseDirectory: String? = nil) throws -> JobManifest {
        let isJSON = file.lowercased().hasSuffix(".json")
            || text.drop(while: { $0.isWhitespace }).first == "{"
        let root = isJSON ? try ManifestNode.json(text, file: file) : try ManifestNode.yaml(text, file: file)
        var manifest = try ManifestParser(file: file).manifest(root)
        if let baseDirectory {
            for i in manifest.domains.indices {
                manifest.domains[i].source.resolvePaths(against: baseDirectory)
            }
        }
        return manifest
    }

    /// Checks a manifest built in code against the same rules as a parsed one.
    /// - Throws: ``ManifestError`` naming `file` and the field path.
    public func validated(file: String) throws -> JobManifest {
        let data = try JSONEncoder().encode(self)
        return try Self.parse(String(decoding: data, as: UTF8.self), file: file)
    }
}

extension JobManifest.Source {
    mutating func resolvePaths(against directory: String) {
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        }
        path = resolve(path)
        labels = labels.map(resolve)
        testPath = testPath.map(resolve)
        testLabels = testLabels.map(resolve)
    }
}

// MARK: - Validation against the schema's rules

/// Walks a document tree, building a ``JobManifest`` and naming the field path of any defect.
struct ManifestParser {
    let file: String
    static let namePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

    func manifest(_ root: ManifestNode) throws -> JobManifest {
        let top = try object(root, path: "(root)", allowed: ["name", "model", "description", "domains"])
        let name = try identifier(try required(top, "name", in: root, path: ""), path: "name")
        let model = try top["model"].map { try identifier($0, path: "model") } ?? "default"
        let description = try top["description"].map { try string($0, path: "description") }
        let list = try required(top, "domains", in: root, path: "")
        guard case .array(let items) = list.value else { throw wrongType(list, "domains", "a list of domains") }
        guard !items.isEmpty else { throw bad(list, "domains", "at least one domain is required") }
        var domains: [JobManifest.Domain] = []
        var names = Set<String>()
        for (i, item) in items.enumerated() {
            let path = "domains[\(i)]"
            let fields = try object(item, path: path, allowed: ["name", "source"])
            let nameNode = try required(fields, "name", in: item, path: path)
            let domainName = try identifier(nameNode, path: "\(path).name")
            guard names.insert(domainName).inserted else {
                throw bad(nameNode, "\(path).name", "duplicate domain name '\(domainName)'")
            }
            let source = try self.source(try required(fields, "source", in: item, path: path), path: "\(path).source")
            domains.append(JobManifest.Domain(name: domainName, source: source))
        }
        return JobManifest(name: name, model: model, description: description, domains: domains)
    }

    func source(_ node: ManifestNode, path: String) throws -> JobManifest.Source {
        typealias Keys = JobManifest.Source.CodingKeys
        let fields = try object(node, path: path, allowed: Set(Keys.allCases.map(\.rawValue)))
        let pathNode = try required(fields, "path", in: node, path: path)
        let filePath = try nonEmptyString(pathNode, path: "\(path).path")
        let format: DatasetFormat
        if let formatNode = fields["format"] {
            let text = try string(formatNode, path: "\(path).format")
            guard let parsed = DatasetFormat(rawValue: text) else {
                throw bad(formatNode, "\(path).format", "'\(text)' is not one of idx, csv, jsonl, npy")
            }
            format = parsed
        } else {
            guard let detected = DatasetFormat.detect(path: filePath) else {
                throw bad(pathNode, "\(path).path", "cannot infer the format from '\(filePath)'; add a 'format' field")
            }
            format = detected
        }
        let labels = try fields["labels"].map { try nonEmptyString($0, path: "\(path).labels") }
        let testPath = try fields["test_path"].map { try nonEmptyString($0, path: "\(path).test_path") }
        let testLabels = try fields["test_labels"].map { try nonEmptyString($0, path: "\(path).test_labels") }
        if format.needsLabelsFile, labels == nil {
            throw ManifestError.missingField(file: file, line: node.line, path: "\(path).labels")
        }
        if format.needsLabelsFile, testPath != nil, testLabels == nil {
            throw ManifestError.missingField(file: file, line: node.line, path: "\(path).test_labels")
        }
        if let node = fields["test_labels"], testPath == nil {
            throw bad(node, "\(path).test_labels", "given without test_path")
        }
        var source = JobManifest.Source(
            format: format, path: filePath, labels: labels, testPath: testPath, testLabels: testLabels)
        if let node = fields["classes"] { source.classes = try classes(node, path: "\(path).classes") }
        if let node = fields["permutation_seed"] {
            guard case .int(let seed) = node.value else { throw wrongType(node, "\(path).permutation_seed", "a non-negative integer") }
            guard seed >= 0 else { throw bad(node, "\(path).permutation_seed", "must be >= 0, got \(seed)") }
            source.permutationSeed = UInt64(seed)
        }
        if let node = fields["rotation_degrees"] {
            let degrees: Double
            switch node.value {
            case .int(let i): degrees = Double(i)
            case .double(let d): degrees = d
            default: throw wrongType(node, "\(path).rotation_degrees", "a number")
            }
            guard degrees >= -360, degrees <= 360 else {
                throw bad(node, "\(path).rotation_degrees", "must be within [-360, 360], got \(degrees)")
            }
            source.rotationDegrees = degrees
        }
        return source
    }

    func classes(_ node: ManifestNode, path: String) throws -> [String] {
        guard case .array(let items) = node.value else { throw wrongType(node, path, "a list of class labels") }
        guard !items.isEmpty else { throw bad(node, path, "at least one class is required") }
        var out: [String] = []
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            let name: String
            switch item.value {
            case .int(let n) where n >= 0: name = String(n)
            case .string(let s) where !s.isEmpty: name = s
            default: throw wrongType(item, "\(path)[\(i)]", "a non-negative integer or a non-empty string")
            }
            guard seen.insert(name).inserted else { throw bad(item, "\(path)[\(i)]", "class '\(name)' is listed twice") }
            out.append(name)
        }
        return out
    }

    // MARK: - Primitives

    func object(_ node: ManifestNode, path: String, allowed: Set<String>) throws -> [String: ManifestNode] {
        guard case .object(let pairs) = node.value else { throw wrongType(node, path, "an object") }
        var out: [String: ManifestNode] = [:]
        for (key, value) in pairs {
            let field = path == "(root)" ? key : "\(path).\(key)"
            guard allowed.contains(key) else {
                throw ManifestError.unknownField(file: file, line: value.line ?? node.line, path: field)
            }
            out[key] = value
        }
        return out
    }

    func required(_ fields: [String: ManifestNode], _ key: String, in parent: ManifestNode, path: String) throws -> ManifestNode {
        guard let node = fields[key] else {
            throw ManifestError.missingField(file: file, line: parent.line, path: path.isEmpty ? key : "\(path).\(key)")
        }
        return node
    }

    func string(_ node: ManifestNode, path: String) throws -> String {
        guard case .string(let s) = node.value else { throw wrongType(node, path, "a string") }
        return s
    }

    func nonEmptyString(_ node: ManifestNode, path: String) throws -> String {
        let s = try string(node, path: path)
        guard !s.isEmpty else { throw bad(node, path, "must not be empty") }
        return s
    }

    func identifier(_ node: ManifestNode, path: String) throws -> String {
        let s = try string(node, path: path)
        guard s.range(of: Self.namePattern, options: .regularExpression) != nil else {
            throw bad(node, path, "'\(s)' must match \(Self.namePattern)")
        }
        return s
    }

    func wrongType(_ node: ManifestNode, _ path: String, _ expected: String) -> ManifestError {
        .wrongType(file: file, line: node.line, path: path, expected: expected)
    }

    func bad(_ node: ManifestNode, _ path: String, _ reason: String) -> ManifestError {
        .badValue(file: file, line: node.line, path: path, reason: reason)
    }
}
