/// The rule for model names: 1 to 128 ASCII letters, digits, `.`, `_` or `-`, so that a name
/// is safe in a URL path (`/v1/models/{model}`) and as an inbox folder (`inbox/<model>/`).
public enum ModelName {
    /// The model that unscoped routes and commands without `--model` address.
    public static let standard = "default"
    /// The longest name allowed.
    public static let maximumLength = 128

    /// Whether `name` follows the rule.
    public static func isValid(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= maximumLength else { return false }
        return scalars.allSatisfy { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-")
        }
    }

    /// Checks `name` against the rule.
    /// - Throws: ``ServiceError/invalidModelName(_:)``.
    public static func validate(_ name: String) throws {
        guard isValid(name) else { throw ServiceError.invalidModelName(name) }
    }
}
