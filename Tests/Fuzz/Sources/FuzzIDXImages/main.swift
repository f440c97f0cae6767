import FuzzDriver
import GroveData

/// One libFuzzer input as an IDX images file: the reader must return consistent rows or throw
/// an error with a one-line message, never trap or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let rows = try IDXReader.readImages(bytes: bytes, name: "fuzz-images-idx3-ubyte")
        precondition(rows.features.count == rows.count * rows.dimension, "inconsistent shape")
    } catch {
        precondition(!"\(error)".contains(where: \.isNewline), "multi-line message: \(error)")
    }
    return 0
}

groveFuzzMain(CommandLine.argc, CommandLine.unsafeArgv)
