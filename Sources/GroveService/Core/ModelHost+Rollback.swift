import Foundation
import GroveLearning
import GroveStore

extension ModelHost {
    /// Makes version `number` the one that predicts and the base of the next phase: commits a
    /// rollback (a new version whose parent is `number`, ``Store/commitRollback(_:)``) and
    /// serves it.
    ///
    /// The new version's learner state is version `number`'s, with the model's labels as of
    /// the newest version (labels keep their class numbers), a phase count that continues the
    /// model's, and the expert numbers and domain names of the versions rolled back retired, so
    /// that a later phase never reuses them.
    /// - Returns: the rollback's version.
    /// - Throws: ``ServiceError/unknownVersion(number:model:)``, ``ServiceError/cannotRollback(model:reason:)``
    ///   (the version already serves, or has no stored state), `StoreError.modelBusy` while a
    ///   phase of the model runs, `StoreError.headMoved` when a phase committed meanwhile.
    public func rollback(to number: Int, in store: any Store) async throws -> ModelVersionRecord {
        let versions = try await store.modelVersions(model: name)
        guard let head = versions.last, let target = versions.first(where: { $0.number == number }) else {
            throw ServiceError.unknownVersion(number: number, model: name)
        }
        guard number < head.number else {
            throw ServiceError.cannotRollback(model: name, reason: "version \(number) is the newest; roll back to an earlier one")
        }
        guard let targetSHA = target.snapshotSHA256, let headSHA = head.snapshotSHA256 else {
            throw ServiceError.cannotRollback(model: name, reason: "version \(target.snapshotSHA256 == nil ? number : head.number) has no stored learner state")
        }
        let decoder = JSONDecoder()
        let targetState = try decoder.decode(LearnerSnapshot.self, from: try await store.blob(sha256: targetSHA))
        let headState = try decoder.decode(LearnerSnapshot.self, from: try await store.blob(sha256: headSHA))
        let served = try await store.experts(model: name, version: head.number)
        let kept = Set(targetState.domains.map(\.name))
        let retired = RetiredIdentifiers(
            expertFloor: max((served.map(\.number).max() ?? -1) + 1, headState.retired?.expertFloor ?? 0),
            domains: try await store.domains(model: name).map(\.name).filter { !kept.contains($0) })
        let state = targetState.rolledBack(labels: headState.labels, phaseCount: head.number + 1, retired: retired)
        let version = try await store.commitRollback(
            RollbackCommit(model: name, target: number, baseVersion: head.number, snapshot: try state.encodedDocument()))
        try await restore(from: store)
        return version
    }
}
