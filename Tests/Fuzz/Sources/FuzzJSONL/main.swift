import FuzzDriver
import GroveData

/// One libFuzzer input as a JSONL file's contents: the reader must return a consistent dataset
/// or throw an error with a one-line message, never trap or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let raw = try JSONLReader.read(bytes: bytes, name: "fuzz.jsonl")
        precondition(raw.features.count == raw.count * raw.dimension, "inconsistent shape")
        var registry = LabelRegistry()
        _ = try raw.encoded(into: &registry)
    } catch {
        precondition(!"\(error)".contains(where: \.isNewline), "multi-line message: \(error)")
    }
    return 0
}

groveFuzzMain(CommandLine.argc, CommandLine.unsafeArgv)
