import GroveData

extension LearnerSnapshot {
    /// The document of a rollback to this snapshot's version: its experts, gate and domains,
    /// with what the model became after it that must stay.
    ///
    /// - Parameters:
    ///   - labels: the model's label registry as of the newest version. Labels keep their class
    ///     numbers forever, so the rolled-back model names classes as the store does (the labels
    ///     that later versions registered are kept, unused until a phase learns them again).
    ///   - phaseCount: the phases the model went through up to and including the rollback,
    ///     so that the next phase has the next index (and its own seed). A version-3 document
    ///     becomes version 4, which keeps the count instead of the phases' reports; documents of
    ///     versions 1 and 2 keep their own count.
    ///   - retired: the expert numbers and domain names of the versions rolled back, added to
    ///     those this snapshot already retired.
    public func rolledBack(labels: LabelRegistry, phaseCount: Int, retired: RetiredIdentifiers) -> LearnerSnapshot {
        var document = self
        document.labels = labels
        if document.version == 3 {
            document.version = 4
            document.phases = nil
            document.accuracy = nil
        }
        document.phaseCount = phaseCount
        document.retired = retired.merging(self.retired)
        return document
    }
}
