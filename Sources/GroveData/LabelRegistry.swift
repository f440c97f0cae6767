/// A growing, stable map from label names to class indices.
///
/// Labels are names: string labels as written, integer labels as their decimal string (`"3"`).
/// A label keeps its index forever once registered, so a model's output unit for a class never
/// moves when later datasets bring new classes.
///
/// ## Index assignment
/// - An integer label `n` (canonical decimal, `0 ≤ n < ``maxNaturalIndex```) gets index `n`
///   when no other label holds it. A fresh registry fed Fashion-MNIST's labels `0...9` therefore
///   maps label 3 to class 3 whatever order the labels arrive in, and a split stream's domain
///   `(4, 5)` keeps classes 4 and 5 even when it is learned first.
/// - Any other label (a string, a large integer, or an integer whose index is taken) gets the
///   smallest free index.
///
/// Indices may have gaps (a registry that has seen only `"8"` and `"9"` has ``classCount``
/// 10); ``name(of:)`` returns `nil` for a gap.
///
/// ```swift
/// var registry = LabelRegistry()
/// registry.index(registering: "9")      // 9
/// registry.index(registering: "sandal") // 0
/// registry.index(registering: "0")      // 1: index 0 is taken
/// ```
public struct LabelRegistry: Sendable, Codable, Equatable {
    /// Integer labels below this bound are mapped to their own value when it is free.
    public static let maxNaturalIndex = 65_536

    /// `names[i]` is the label with class index `i`, or `nil` for an unused index.
    public private(set) var names: [String?]
    private var indices: [String: Int32]

    /// Creates an empty registry.
    public init() {
        names = []
        indices = [:]
    }

    /// Number of class indices in use, gaps included: one more than the largest index.
    public var classCount: Int { names.count }

    /// The registered label names in index order, gaps skipped.
    public var labels: [String] { names.compactMap { $0 } }

    /// The class index of `label`, or `nil` when it has never been registered.
    public func index(of label: String) -> Int32? { indices[label] }

    /// The label name of class `index`, or `nil` for an unused or out-of-range index.
    public func name(of index: Int32) -> String? {
        guard index >= 0, Int(index) < names.count else { return nil }
        return names[Int(index)]
    }

    /// The class index of `label`, registering it first when it is new (see the type's rules).
    @discardableResult
    public mutating func index(registering label: String) -> Int32 {
        if let existing = indices[label] { return existing }
        let index = Self.naturalIndex(of: label).flatMap { isFree($0) ? $0 : nil } ?? firstFree()
        if index >= names.count {
            names.append(contentsOf: repeatElement(nil, count: index - names.count + 1))
        }
        names[index] = label
        indices[label] = Int32(index)
        return Int32(index)
    }

    // MARK: - Codable

    private enum CodingKeys: String, CodingKey { case names }

    /// Decodes the `names` array (nulls for gaps) and rebuilds the lookup table.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let names = try container.decode([String?].self, forKey: .names)
        var indices: [String: Int32] = [:]
        for (index, name) in names.enumerated() {
            guard let name else { continue }
            guard indices[name] == nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: .names, in: container, debugDescription: "label '\(name)' appears twice")
            }
            indices[name] = Int32(index)
        }
        self.names = names
        self.indices = indices
    }

    /// Encodes the registry as `{"names": [...]}`, `null` for unused indices.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(names, forKey: .names)
    }

    // MARK: - Private

    /// `n` for a canonical decimal integer label `"n"` below ``maxNaturalIndex``.
    static func naturalIndex(of label: String) -> Int? {
        let utf8 = label.utf8
        guard let first = utf8.first, utf8.count <= 5, utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              first != 48 || utf8.count == 1,
              let value = Int(label), value < maxNaturalIndex
        else { return nil }
        return value
    }

    private func isFree(_ index: Int) -> Bool {
        index >= names.count || names[index] == nil
    }

    private func firstFree() -> Int {
        names.firstIndex(where: { $0 == nil }) ?? names.count
    }
}
