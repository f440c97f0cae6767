import Foundation
import GRDB

/// A row of `model_versions`: the immutable result of one phase.
///
/// A version's experts are those created by it and by its line of parents (experts are only
/// ever added), ``expertCount`` of them, routed by its gate version. A phase's parent is the
/// version before it; a rollback's parent is the version it restores, and it has no job.
public struct ModelVersionRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "model_versions"

    /// The version id.
    public var id: Int64
    /// The model it is a version of.
    public var modelID: Int64
    /// 1, 2, 3, ... within the model.
    public var number: Int
    /// The version it grew from (for a rollback, the version it restores); `nil` for number 1.
    public var parentID: Int64?
    /// The job whose phase produced it; `nil` for a rollback.
    public var jobID: Int64?
    /// The domain that phase learned.
    public var domainID: Int64
    /// Its gate.
    public var gateVersionID: Int64
    /// How many experts it has, written in the same transaction as the experts.
    public var expertCount: Int
    /// How many evaluation rows its phase wrote, in the same transaction.
    public var evaluationCount: Int
    /// SHA-256 of the learner snapshot document committed with this version, if any.
    public var snapshotSHA256: String?
    /// When it was committed.
    public var createdAt: Date
    /// Seconds its phase spent testing whether the data were new (nil for versions stored
    /// before timings were kept, as for the four below).
    public var detectSeconds: Double?
    /// Seconds spent training the new experts.
    public var trainExpertsSeconds: Double?
    /// Seconds spent retraining the gate.
    public var retrainGateSeconds: Double?
    /// Seconds spent evaluating every domain.
    public var evaluateSeconds: Double?
    /// Seconds of the whole phase.
    public var phaseSeconds: Double?
    /// Optimizer steps of its gate retraining, if kept.
    public var gateSteps: Int?

    /// The version each rollback among `versions` restored, by the rollback's number: a
    /// rollback's parent is the version it restored, a phase's the one just before it.
    public static func restoredVersions(_ versions: [ModelVersionRecord]) -> [Int: Int] {
        let numbers = Dictionary(versions.map { ($0.id, $0.number) }, uniquingKeysWith: { a, _ in a })
        var restored: [Int: Int] = [:]
        for version in versions {
            if let parentID = version.parentID, let parent = numbers[parentID], parent != version.number - 1 {
                restored[version.number] = parent
            }
        }
        return restored
    }

    enum CodingKeys: String, CodingKey {
        case id, number
        case modelID = "model_id"
        case parentID = "parent_id"
        case jobID = "job_id"
        case domainID = "domain_id"
        case gateVersionID = "gate_version_id"
        case expertCount = "expert_count"
        case evaluationCount = "evaluation_count"
        case snapshotSHA256 = "snapshot_sha256"
        case createdAt = "created_at"
        case detectSeconds = "detect_seconds"
        case trainExpertsSeconds = "train_experts_seconds"
        case retrainGateSeconds = "retrain_gate_seconds"
        case evaluateSeconds = "evaluate_seconds"
        case phaseSeconds = "phase_seconds"
        case gateSteps = "gate_steps"
    }
}
