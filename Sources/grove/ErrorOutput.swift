import Foundation
import GroveNumerics

/// Prints `error: <one line>` on stderr.
func printError(_ error: any Error) {
    let message = (error as? any GroveError)?.description ?? String(describing: error)
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}
