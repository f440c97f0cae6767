import Foundation
import Testing

/// End-to-end tests of the real `grove` executable: a `grove daemon` child on a free port with a
/// temporary home, driven by the `grove` CLI. One test at a time: each starts its own daemon and
/// the phases share a small machine.
@Suite(.serialized)
enum GroveCLITests {}
