import GroveStore
import Testing

/// Stores written before kinds were typed hold these strings; each must still decode.
@Test func everyKindEarlierVersionsWroteStillDecodes() {
    let written = ["job.queued", "job.claimed", "job.requeued", "job.retried", "job.succeeded", "job.failed",
                   "job.cancelled", "phase", "contradiction"]
    #expect(written.compactMap(EventKind.init(rawValue:)).map(\.rawValue) == written)
    // Kinds added since: rollbacks.
    #expect(Set(written + ["model.rollback"]) == Set(EventKind.allCases.map(\.rawValue)))
    #expect(JobState.allCases.compactMap(EventKind.init(jobEndedAs:)) == [.jobSucceeded, .jobFailed, .jobCancelled])
}

/// The evaluation metrics stores hold; the schema checks the fractions among them.
@Test func everyMetricEarlierVersionsWroteStillDecodes() {
    let written = ["accuracy", "loss", "routing_accuracy", "load_share"]
    #expect(written.compactMap(EvaluationMetric.init(rawValue:)).map(\.rawValue) == written)
    #expect(Set(written) == Set(EvaluationMetric.allCases.map(\.rawValue)))
}
