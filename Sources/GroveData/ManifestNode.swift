import Foundation
import Yams

/// A format-neutral document tree for manifests, keeping YAML line numbers for messages.
struct ManifestNode: Sendable, Equatable {
    indirect enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case array([ManifestNode])
        /// Keys in document order.
        case object([(key: String, value: ManifestNode)])

        static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): true
            case (.bool(let a), .bool(let b)): a == b
            case (.int(let a), .int(let b)): a == b
            case (.double(let a), .double(let b)): a == b
            case (.string(let a), .string(let b)): a == b
            case (.array(let a), .array(let b)): a == b
            case (.object(let a), .object(let b)):
                a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default: false
            }
        }
    }

    var value: Value
    /// 1-based line in the source text (YAML only).
    var line: Int?

    // MARK: - YAML

    /// Parses YAML text (one document) with Yams.
    static func yaml(_ text: String, file: String) throws -> ManifestNode {
        if let line = firstAnchorLine(text) {
            throw ManifestError.syntax(file: file, line: line, reason: "anchors and aliases are not supported")
        }
        let node: Node?
        // The parser holds the anchors, which nodes reference weakly: it must outlive `convert`.
        let parser: Parser
        do {
            parser = try Parser(yaml: text)
            node = try parser.singleRoot()
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let prefix = context.map { "\($0.text) " } ?? ""
                throw ManifestError.syntax(file: file, line: mark.line, reason: oneLine(prefix + problem))
            default:
                throw ManifestError.syntax(file: file, line: nil, reason: oneLine(String(describing: error)))
            }
        } catch {
            throw ManifestError.syntax(file: file, line: nil, reason: oneLine(String(describing: error)))
        }
        guard let node else { throw ManifestError.syntax(file: file, line: nil, reason: "empty document") }
        var budget = maxNodes
        return try withExtendedLifetime(parser) { try convert(node, file: file, depth: 0, budget: &budget) }
    }

    /// The 1-based line of the first anchor (`&name` where a node may start) in `text`, or `nil`.
    ///
    /// Checked before Yams composes the document: Yams hashes mapping keys while composing, and
    /// a key that is an alias of nested aliases expands exponentially (a few hundred bytes take
    /// hours). Without anchors, every alias is undefined and Yams refuses it at once. Errs on
    /// the side of refusal: an `&` right after a blank inside a string counts too.
    static func firstAnchorLine(_ text: String) -> Int? {
        var line = 1
        var previous = UInt8(ascii: "\n")
        var isAmpersand = false
        for byte in text.utf8 {
            if isAmpersand, !isBlankOrFlow(byte) { return line }
            isAmpersand = byte == UInt8(ascii: "&") && isBlankOrFlow(previous)
            if byte == UInt8(ascii: "\n") { line += 1 }
            previous = byte
        }
        return nil
    }

    /// Whether `byte` is a blank, a line break or a flow indicator (`,[]{}`).
    private static func isBlankOrFlow(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"): true
        default: false
        }
    }

    /// The most values (scalars, lists and mappings) a manifest may hold: far more than a
    /// thousand domains need, far fewer than would make reading it slow.
    static let maxNodes = 100_000
    /// The deepest nesting a manifest may have (the schema's own is 5).
    static let maxDepth = 32

    /// The node as a ``ManifestNode``, refusing anchors (an alias can repeat a subtree
    /// exponentially often), more than `budget` nodes, and nesting deeper than ``maxDepth``.
    private static func convert(_ node: Node, file: String, depth: Int, budget: inout Int) throws -> ManifestNode {
        let line = node.mark?.line
        guard node.anchor == nil else {
            throw ManifestError.syntax(file: file, line: line, reason: "anchors and aliases are not supported")
        }
        guard depth < maxDepth else {
            throw ManifestError.syntax(file: file, line: line, reason: "nested deeper than \(maxDepth) levels")
        }
        budget -= 1
        guard budget >= 0 else {
            throw ManifestError.syntax(file: file, line: line, reason: "more than \(maxNodes) values")
        }
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return ManifestNode(value: .null, line: line)
            case .bool: return ManifestNode(value: node.bool.map(Value.bool) ?? .string(scalar.string), line: line)
            case .int:
                // Yams traps on a YAML 1.1 base-60 integer (`1:30`) that overflows: such a
                // scalar stays a string here (manifests have no use for base 60).
                guard !scalar.string.contains(":") else { return ManifestNode(value: .string(scalar.string), line: line) }
                return ManifestNode(value: node.int.map(Value.int) ?? .string(scalar.string), line: line)
            case .float: return ManifestNode(value: node.float.map(Value.double) ?? .string(scalar.string), line: line)
            default: return ManifestNode(value: .string(scalar.string), line: line)
            }
        case .sequence(let sequence):
            var items: [ManifestNode] = []
            for item in sequence { items.append(try convert(item, file: file, depth: depth + 1, budget: &budget)) }
            return ManifestNode(value: .array(items), line: line)
        case .mapping(let mapping):
            var pairs: [(key: String, value: ManifestNode)] = []
            var seen = Set<String>()
            for (key, value) in mapping {
                guard case .scalar(let k) = key else {
                    throw ManifestError.syntax(file: file, line: key.mark?.line, reason: "mapping keys must be plain strings")
                }
                guard seen.insert(k.string).inserted else {
                    throw ManifestError.syntax(file: file, line: key.mark?.line, reason: "duplicate key '\(k.string)'")
                }
                pairs.append((k.string, try convert(value, file: file, depth: depth + 1, budget: &budget)))
            }
            return ManifestNode(value: .object(pairs), line: line)
        case .alias:
            throw ManifestError.syntax(file: file, line: line, reason: "aliases are not supported")
        }
    }

    // MARK: - JSON

    /// Parses JSON text with `JSONDecoder` (no line numbers).
    static func json(_ text: String, file: String) throws -> ManifestNode {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)).node
        } catch let error as DecodingError {
            let reason: String = switch error {
            case .dataCorrupted(let context): context.underlyingError.map { "\($0)" } ?? context.debugDescription
            default: "\(error)"
            }
            throw ManifestError.syntax(file: file, line: nil, reason: oneLine(reason))
        } catch {
            throw ManifestError.syntax(file: file, line: nil, reason: oneLine("\(error)"))
        }
    }

    /// A JSON-serialisable `Any` (for handing the document to other tools, such as a schema check).
    var jsonObject: Any {
        switch value {
        case .null: NSNull()
        case .bool(let b): b
        case .int(let i): i
        case .double(let d): d
        case .string(let s): s
        case .array(let items): items.map(\.jsonObject)
        case .object(let pairs): Dictionary(pairs.map { ($0.key, $0.value.jsonObject) }, uniquingKeysWith: { a, _ in a })
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// Decodes any JSON value into a ``ManifestNode``.
private struct JSONValue: Decodable {
    var node: ManifestNode

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var pairs: [(key: String, value: ManifestNode)] = []
            for key in object.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                pairs.append((key.stringValue, try object.decode(JSONValue.self, forKey: key).node))
            }
            node = ManifestNode(value: .object(pairs))
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [ManifestNode] = []
            while !array.isAtEnd { items.append(try array.decode(JSONValue.self).node) }
            node = ManifestNode(value: .array(items))
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { node = ManifestNode(value: .null) }
            else if let b = try? single.decode(Bool.self) { node = ManifestNode(value: .bool(b)) }
            else if let i = try? single.decode(Int.self) { node = ManifestNode(value: .int(i)) }
            else if let d = try? single.decode(Double.self) { node = ManifestNode(value: .double(d)) }
            else { node = ManifestNode(value: .string(try single.decode(String.self))) }
        }
    }
}
