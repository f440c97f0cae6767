/// Whether a reader of a format with labels in its rows (CSV, JSONL) reads them.
enum LabelReading {
    /// Every sample must have a label, and each names a class.
    case required
    /// Labels may be absent and are not read: every sample gets the one label `""`, which only
    /// the readers' `readFeatures` see, and drop.
    case skipped
}
