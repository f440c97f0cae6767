/// The checks of a JSON Schema that `schemas/openapi.yaml` uses for request bodies, each
/// naming the field in its one-line 400: `spec.limit: must be ≥ 1`.
struct SchemaCheck {
    /// The dotted path of the value checked (`spec.source.path`).
    let path: String

    func child(_ key: String) -> SchemaCheck { SchemaCheck(path: path.isEmpty ? key : "\(path).\(key)") }

    func element(_ index: Int) -> SchemaCheck { SchemaCheck(path: "\(path)[\(index)]") }

    func fail(_ reason: String) -> APIError { APIError.badRequest("\(path.isEmpty ? "the body" : path): \(reason)") }

    /// An object with only `allowed` keys and every `required` one.
    func object(_ value: JSONValue, allowed: [String], required: [String] = []) throws -> [String: JSONValue] {
        guard case .object(let fields) = value else { throw fail("expected an object, got \(value.kind)") }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw child(unknown).fail("unknown field; allowed: \(allowed.joined(separator: ", "))")
        }
        if let missing = required.first(where: { fields[$0] == nil }) { throw child(missing).fail("is required") }
        return fields
    }

    /// A string of `minLength...maxLength` characters (Unicode scalars), matching `rule` when given.
    func string(_ value: JSONValue, minLength: Int = 0, maxLength: Int, rule: (description: String, test: (String) -> Bool)? = nil) throws -> String {
        guard case .string(let text) = value else { throw fail("expected a string, got \(value.kind)") }
        let count = text.unicodeScalars.count
        if count < minLength { throw fail(minLength == 1 ? "must not be empty" : "must have at least \(minLength) characters") }
        if count > maxLength { throw fail("must have at most \(maxLength) characters") }
        if let rule, !rule.test(text) { throw fail(rule.description) }
        return text
    }

    /// One of `values`.
    func enumeration(_ value: JSONValue, _ values: [String]) throws -> String {
        guard case .string(let text) = value, values.contains(text) else {
            let given = if case .string(let text) = value { "'\(text)'" } else { value.kind }
            throw fail("must be one of \(values.joined(separator: ", ")), not \(given)")
        }
        return text
    }

    /// An integer in `range`.
    func integer(_ value: JSONValue, in range: ClosedRange<Int64>) throws -> Int64 {
        let number: Int64
        switch value {
        case .integer(let n): number = n
        case .number(let d):
            guard d.rounded() == d else { throw fail("must be an integer, not \(d)") }
            if d < Double(range.lowerBound) { throw fail("must be ≥ \(range.lowerBound)") }
            guard let exact = Int64(exactly: d), exact <= range.upperBound else { throw fail("must be ≤ \(range.upperBound)") }
            number = exact
        default: throw fail("expected an integer, got \(value.kind)")
        }
        if number < range.lowerBound { throw fail("must be ≥ \(range.lowerBound)") }
        if number > range.upperBound { throw fail("must be ≤ \(range.upperBound)") }
        return number
    }

    /// A finite number in `range`.
    func number(_ value: JSONValue, in range: ClosedRange<Double>) throws -> Double {
        let number: Double
        switch value {
        case .integer(let n): number = Double(n)
        case .number(let d): number = d
        default: throw fail("expected a number, got \(value.kind)")
        }
        if !(number >= range.lowerBound) { throw fail("must be ≥ \(range.lowerBound)") }
        if !(number <= range.upperBound) { throw fail("must be ≤ \(range.upperBound)") }
        return number
    }

    /// An array of `minItems...maxItems` elements.
    func array(_ value: JSONValue, minItems: Int, maxItems: Int) throws -> [JSONValue] {
        guard case .array(let items) = value else { throw fail("expected an array, got \(value.kind)") }
        if items.count < minItems { throw fail("must hold at least \(minItems) item\(minItems == 1 ? "" : "s")") }
        if items.count > maxItems { throw fail("must hold at most \(maxItems) items") }
        return items
    }
}
