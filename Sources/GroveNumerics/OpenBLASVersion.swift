/// An OpenBLAS release number, as in `OpenBLAS 0.3.21 DYNAMIC_ARCH …` (`openblas_get_config`).
public struct OpenBLASVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The three numbers.
    public var major: Int, minor: Int, patch: Int

    /// A version given directly.
    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        (self.major, self.minor, self.patch) = (major, minor, patch)
    }

    /// The version in an OpenBLAS configuration string (its second word; a `.dev` suffix is
    /// ignored), or `nil` when there is none.
    public init?(configuration: String) {
        let words = configuration.split(separator: " ")
        guard words.count >= 2, words[0] == "OpenBLAS" else { return nil }
        let numbers = words[1].split(separator: ".").prefix(3).compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        self.init(numbers[0], numbers[1], numbers[2])
    }

    public static func < (a: OpenBLASVersion, b: OpenBLASVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}
