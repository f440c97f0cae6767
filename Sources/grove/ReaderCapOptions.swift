import ArgumentParser
import GroveData

/// `grove daemon`'s caps on what a phase reads from a dataset (see `ReaderLimits`); a dataset
/// over one fails its job with a message naming the flag that raises it.
struct ReaderCapOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The largest dataset file a phase reads, in bytes (compressed size for .gz).", valueName: "bytes"))
    var maxFileBytes = ReaderLimits.standard.maxFileBytes

    @Option(help: ArgumentHelp("The most bytes a gzip dataset may inflate to.", valueName: "bytes"))
    var maxDecompressedBytes = ReaderLimits.standard.maxDecompressedBytes

    @Option(help: ArgumentHelp("The most samples in one dataset file.", valueName: "rows"))
    var maxRows = ReaderLimits.standard.maxRows

    @Option(help: ArgumentHelp("The most features per sample.", valueName: "count"))
    var maxFeatures = ReaderLimits.standard.maxFeatures

    @Option(help: ArgumentHelp("The most distinct labels in one dataset.", valueName: "count"))
    var maxClasses = ReaderLimits.standard.maxClasses

    @Option(help: ArgumentHelp("The longest label name, in UTF-8 bytes.", valueName: "bytes"))
    var maxLabelLength = ReaderLimits.standard.maxLabelLength

    func validate() throws {
        for (flag, value) in [("--max-file-bytes", maxFileBytes), ("--max-decompressed-bytes", maxDecompressedBytes), ("--max-rows", maxRows),
                              ("--max-features", maxFeatures), ("--max-classes", maxClasses), ("--max-label-length", maxLabelLength)]
        where value < 1 {
            throw ValidationError("\(flag) must be at least 1, not \(value)")
        }
    }

    /// The caps as the readers take them.
    var limits: ReaderLimits {
        ReaderLimits(maxFileBytes: maxFileBytes, maxDecompressedBytes: maxDecompressedBytes, maxRows: maxRows,
                     maxFeatures: maxFeatures, maxClasses: maxClasses, maxLabelLength: maxLabelLength)
    }
}
