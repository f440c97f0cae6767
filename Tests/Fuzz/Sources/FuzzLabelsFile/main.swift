import FuzzDriver
import GroveData

/// One libFuzzer input as a labels file (text, one label per line, or a 1-D `.npy` array): the
/// reader must return one valid code per label or throw an error with a one-line message,
/// never trap or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let labels = try LabelsFile.read(bytes: bytes, name: "fuzz-labels.txt")
        precondition(labels.codes.allSatisfy { $0 >= 0 && Int($0) < labels.names.count }, "code out of range")
    } catch {
        precondition(!"\(error)".contains(where: \.isNewline), "multi-line message: \(error)")
    }
    return 0
}

groveFuzzMain(CommandLine.argc, CommandLine.unsafeArgv)
