/// The error protocol every Grove module's error enum conforms to.
///
/// `description` is the one-line, user-facing message printed after `error: `. It names what is
/// wrong and where (file, line, field) and never spans several lines.
public protocol GroveError: Error, CustomStringConvertible, Sendable {}
