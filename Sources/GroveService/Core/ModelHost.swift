import Foundation
import GroveData
import GroveLearning
import GroveModel
import GroveNumerics
import GroveStore
import Logging
import Synchronization

/// The live state of one model: its learner (with the label registry) as of the latest
/// committed version, and that version as predictions read it (``ServedModel``). Restored
/// from the store at start; replaced after every committed phase.
///
/// Predictions do not wait for the actor: ``served`` hands out the served version, which
/// requests compute on concurrently, and a new version replaces it atomically.
public actor ModelHost {
    /// The model's name.
    public let name: String
    /// Settings for new phases.
    public let config: LifelongConfig
    /// The learner as of the latest committed version.
    public private(set) var learner: LifelongLearner
    /// The model-wide label names.
    public private(set) var labels = LabelRegistry()
    /// The snapshot document of the latest committed version: the next phase's snapshot names
    /// its unchanged blobs instead of storing them again.
    public private(set) var snapshot: LearnerSnapshot?
    /// The number of the committed version served (0 before the first).
    public private(set) var version = 0
    /// The features' names when the model's first dataset was a CSV, else `nil`
    /// (``LearnerSnapshot/features``); a later CSV's columns are matched to them by name.
    public var features: [String]? { snapshot?.features }
    /// The version predictions read; replaced whenever ``version`` changes.
    private let published = Mutex<ServedModel?>(nil)

    /// Where the learner reads its domains' stored rows.
    private let archive: (any SampleArchive)?
    /// The watch on the model's prediction inputs, if the daemon watches them.
    private let watch: PredictionWatch?

    /// An empty host (no version committed yet) whose learner reads its domains' stored rows
    /// from `store`.
    public init(name: String, config: LifelongConfig, store: (any Store)?) {
        self.init(name: name, config: config, store: store, watch: nil)
    }

    /// An empty host whose prediction inputs `watch` watches.
    init(name: String, config: LifelongConfig, store: (any Store)?, watch: PredictionWatch?) {
        self.name = name
        self.config = config
        self.watch = watch
        archive = store.map { StoreSampleArchive(store: $0) }
        learner = LifelongLearner(config: config, archive: archive)
    }

    /// What the watch on the prediction inputs found so far; nil when inputs are not watched.
    nonisolated var watchFigures: PredictionWatch.Figures? { watch?.figures }

    /// Full windows the watch's tester has yet to finish (``PredictionWatch/backlog``); nil
    /// when inputs are not watched.
    nonisolated var watchBacklog: Int? { watch?.backlog }

    /// Holds the watch's tester until ``releaseWatchTests()`` (see ``PredictionWatch/holdTests()``).
    nonisolated func holdWatchTests() async { await watch?.holdTests() }

    /// Lets the watch's tester test again.
    nonisolated func releaseWatchTests() { watch?.releaseTests() }

    /// Stops the watch's tester (see ``PredictionWatch/stop()``), so that the store can be closed.
    nonisolated func stopWatching() async {
        await watch?.stop()
    }

    /// The version predictions read now, or nil before the first phase; read without waiting
    /// for the actor.
    public nonisolated var served: ServedModel? { published.withLock { $0 } }

    /// Serves the learner's model as ``version`` and points the watch at it (it reads the
    /// domains' signatures in the background).
    private func serveCurrentVersion() {
        // A model without experts (never the result of a committed phase) serves nothing: its
        // predictions answer that it has learned nothing yet.
        guard let model = learner.model, let served = try? ServedModel(name: name, version: version, model: model, labels: labels, watch: watch) else {
            published.withLock { $0 = nil }
            return
        }
        published.withLock { $0 = served }
        guard let watch else { return }
        let (domains, version) = (learner.domains, version)
        Task { await watch.serve(version: version, domains: domains, dimension: model.inputs) }
    }

    /// Loads the latest committed snapshot of the model, if any, and serves it.
    ///
    /// The snapshot is read and decoded off the actor, so predictions on the version being
    /// replaced go on meanwhile; the daemon calls this after a phase child process committed.
    ///
    /// A version-1 snapshot comes from a build whose IDX reader divided pixels by 255: its
    /// domains learned only from IDX files are rescaled by 255 (``LifelongLearner/rescale(domains:by:)``),
    /// so the same files, now read as 0…255, meet the model as before; the next phase then
    /// stores every blob anew instead of naming the stored [0, 1] ones.
    /// - Throws: a `StoreError` (missing or corrupted blob) or a `SnapshotError`.
    ///
    /// A version no newer than the one served is left alone: announcements of other workers'
    /// commits and this process's own reloads may arrive in any order.
    public func restore(from store: some Store) async throws {
        guard let loaded = try await Self.load(model: name, config: config, archive: archive, from: store),
              loaded.version > version
        else { return }
        learner = loaded.learner
        labels = loaded.labels
        snapshot = loaded.snapshot
        version = loaded.version
        serveCurrentVersion()
    }

    /// Restores the newest committed version if the store has one newer than the version
    /// served (another worker committed it); returns whether it did.
    @discardableResult
    public func catchUp(with store: some Store) async throws -> Bool {
        let before = version
        guard let latest = try await store.latestModelVersion(model: name), latest.number > before else { return false }
        try await restore(from: store)
        return version > before
    }

    /// What a phase starts from, read at once: the learner, its snapshot document, the label
    /// registry and the version number they belong to.
    public func current() -> (learner: LifelongLearner, snapshot: LearnerSnapshot?, labels: LabelRegistry, version: Int) {
        (learner, snapshot, labels, version)
    }

    /// The model's latest committed state as read from `store`, or nil before its first version.
    /// The experts, the gate and the domains' means are read here; the domains' rows and
    /// signatures stay in the store.
    private static func load(model name: String, config: LifelongConfig, archive: (any SampleArchive)?,
                             from store: some Store) async throws -> (learner: LifelongLearner, labels: LabelRegistry, snapshot: LearnerSnapshot?, version: Int)? {
        guard let version = try await store.latestModelVersion(model: name) else { return nil }
        return try await load(version, model: name, config: config, archive: archive, from: store)
    }

    /// Version `number` of the model as read from `store`, for reading its weights (its domains'
    /// rows are not read). Nil when the model has no such version.
    /// - Throws: a `StoreError` (missing or corrupted blob) or a `SnapshotError`.
    public nonisolated func model(version number: Int, from store: some Store) async throws -> (model: MixtureOfExperts, labels: LabelRegistry)? {
        guard let record = try await store.modelVersions(model: name).first(where: { $0.number == number }),
              let loaded = try await Self.load(record, model: name, config: config, archive: nil, from: store),
              let model = loaded.learner.model
        else { return nil }
        return (model, loaded.labels)
    }

    /// The state committed as `version`, or nil when it has no snapshot.
    private static func load(_ version: ModelVersionRecord, model name: String, config: LifelongConfig, archive: (any SampleArchive)?,
                             from store: some Store) async throws -> (learner: LifelongLearner, labels: LabelRegistry, snapshot: LearnerSnapshot?, version: Int)? {
        guard let sha = version.snapshotSHA256 else { return nil }
        let document = try JSONDecoder().decode(LearnerSnapshot.self, from: try await store.blob(sha256: sha))
        var blobs: [String: Data] = [:]
        for blobSHA in LifelongLearner.blobsToRead(document) {
            blobs[blobSHA] = try await store.blob(sha256: blobSHA)
        }
        var learner = try LifelongLearner.restore(document, config: config, archive: archive) { blobSHA in
            guard let data = blobs[blobSHA] else { throw SnapshotError.malformedBlob(sha256: blobSHA, what: "missing") }
            return data
        }
        if document.version == 1 {
            let rescaled = try await domainsLearnedFromIDXOnly(model: name, in: store)
            if !rescaled.isEmpty {
                // Reads the domains' rows through the archive, which blocks: off the actors.
                learner = try await PhaseExecutor.offPool { [learner] in
                    var copy = learner
                    try copy.rescale(domains: rescaled, by: 255)
                    return copy
                }
                return (learner, document.labels, nil, version.number)
            }
        }
        return (learner, document.labels, document, version.number)
    }

    /// The model's domains every dataset of which was an IDX file.
    private static func domainsLearnedFromIDXOnly(model: String, in store: some Store) async throws -> Set<String> {
        let names = Dictionary(uniqueKeysWithValues: try await store.domains(model: model).map { ($0.id, $0.name) })
        var formats: [Int64: Set<String>] = [:]
        for dataset in try await store.datasets(model: model) { formats[dataset.domainID, default: []].insert(dataset.format) }
        return Set(formats.compactMap { id, found in found == ["idx"] ? names[id] : nil })
    }

    /// Seconds the latest phase committed in this process took to write its store transaction.
    public private(set) var lastCommitSeconds: Double?

    /// Replaces the state after a committed phase (version number `version`) whose snapshot
    /// document is `snapshot` and whose store transaction took `commitSeconds`; the store now holds the learner's blobs, so
    /// the learner drops them from memory.
    public func install(_ learner: LifelongLearner, labels: LabelRegistry, snapshot: LearnerSnapshot, version: Int, commitSeconds: Double? = nil) {
        lastCommitSeconds = commitSeconds
        self.version = version
        var committed = learner
        committed.markBlobsStored()
        self.learner = committed
        self.labels = labels
        self.snapshot = snapshot
        serveCurrentVersion()
    }

    /// Predicted label names and chosen expert ids for each row of `x`, with each row's
    /// novelty score when the inputs are watched (the rows join the watch's window).
    /// - Throws: `ServiceError.noModel` before the first phase, `.badInput` for a wrong width.
    public nonisolated func predict(_ x: Matrix) throws(ServiceError) -> [Prediction] {
        guard let served else { throw .noModel(name: name) }
        return try served.predictions(x)
    }
}

/// One sample's prediction.
public struct Prediction: Sendable, Codable, Equatable {
    /// The most probable label's name.
    public var label: String
    /// Its model-wide class index.
    public var classIndex: Int
    /// Its probability under the mixture.
    public var probability: Double
    /// Ids of the experts the gate chose, first choice first.
    public var experts: [Int]
    /// How unlike every known domain the row is (about 1 for a known domain's rows, higher
    /// for rows far from all of them); absent when the daemon does not watch its inputs.
    public var novelty: Double?

    enum CodingKeys: String, CodingKey {
        case label, probability, experts, novelty
        case classIndex = "class_index"
    }
}
