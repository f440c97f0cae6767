import Foundation

extension StoreError {
    /// ``diskFull(reason:)`` when `error` is a file write that failed for lack of space
    /// (`ENOSPC`, `EDQUOT`, or Foundation's `fileWriteOutOfSpace`, also as an underlying
    /// error), else `nil`. Lets the writers of files beside the database (uploads, dataset
    /// specs, inbox copies) report a full disk the way the database does.
    /// - Parameters:
    ///   - error: what a write threw.
    ///   - path: the file being written, named in the message.
    public static func diskFull(from error: any Error, writing path: String) -> StoreError? {
        isOutOfSpace(error as NSError) ? .diskFull(reason: "cannot write \(path)") : nil
    }

    private static func isOutOfSpace(_ error: NSError) -> Bool {
        if error.domain == NSCocoaErrorDomain, error.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
        if error.domain == NSPOSIXErrorDomain, [ENOSPC, EDQUOT].contains(Int32(truncatingIfNeeded: error.code)) { return true }
        guard let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError else { return false }
        return isOutOfSpace(underlying)
    }
}
