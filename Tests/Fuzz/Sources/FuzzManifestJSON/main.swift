import FuzzDriver
import GroveData

/// One libFuzzer input as a JSON job manifest: parsing must return a manifest or throw an
/// error with a one-line message, never trap or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let manifest = try JobManifest.parse(bytes: bytes, file: "fuzz.json")
        precondition(!manifest.domains.isEmpty, "a manifest without domains")
    } catch {
        precondition(!"\(error)".contains(where: \.isNewline), "multi-line message: \(error)")
    }
    return 0
}

groveFuzzMain(CommandLine.argc, CommandLine.unsafeArgv)
