/// A dataset submitted to a model: what ``Store/enqueue(_:)`` needs.
public struct JobRequest: Sendable, Hashable {
    /// The target model's name.
    public var model: String
    /// The SHA-256 (64 lowercase hex digits) of the submitted file.
    public var datasetSHA256: String
    /// Where the data comes from (a path or a manifest).
    public var source: String
    /// The labels file, for formats that keep labels apart.
    public var labelsSource: String?
    /// The declared format, or `nil` to detect it.
    public var format: String?
    /// The domain the submitter declared, if any.
    public var declaredDomain: String?

    /// Creates a request; only the model, the hash and the source are required.
    public init(
        model: String = "default", datasetSHA256: String, source: String,
        labelsSource: String? = nil, format: String? = nil, declaredDomain: String? = nil
    ) {
        self.model = model
        self.datasetSHA256 = datasetSHA256
        self.source = source
        self.labelsSource = labelsSource
        self.format = format
        self.declaredDomain = declaredDomain
    }
}

/// The answer of ``Store/enqueue(_:)``: the job, whether this call created it, and whether
/// it queued an ended job again.
public struct EnqueueResult: Sendable, Hashable {
    /// The new job, or the one already known for the same dataset and model.
    public var job: JobRecord
    /// `false` when the dataset had already been submitted to the model.
    public var created: Bool
    /// `true` when the dataset's earlier job had failed or been cancelled and this call put it
    /// back in the queue (``created`` is then `false`).
    public var requeued: Bool

    /// An answer, as a backend builds it.
    package init(job: JobRecord, created: Bool, requeued: Bool) {
        self.job = job
        self.created = created
        self.requeued = requeued
    }
}
