import Foundation
import GroveStore
import Hummingbird

/// One committed version of a model, as `GET /v1/models/{model}/versions` lists it.
public struct APIVersion: Codable, Sendable, Equatable {
    /// 1, 2, 3, ... within the model.
    public var number: Int
    /// The phase that committed it (0 for version 1).
    public var phase: Int
    /// When it was committed.
    public var createdAt: Date
    /// The job whose phase produced it; nil for a rollback.
    public var job: Int64?
    /// For a rollback, the version it restored; nil for a phase.
    public var rolledBackTo: Int?
    /// The domain that phase learned (for a rollback, the restored version's).
    public var domain: String
    /// Its experts, and how many of them the phase grew (0 for a rollback).
    public var experts: Int
    public var newExperts: Int
    /// Its accuracy on the held-out samples of the domain it learned.
    public var domainAccuracy: Double?
    /// Its mean accuracy over every domain known at that version, and how many those are.
    public var meanAccuracy: Double?
    public var domains: Int
    /// Whether it is the version that answers predictions.
    public var serving: Bool

    enum CodingKeys: String, CodingKey {
        case number, phase, job, domain, experts, domains, serving
        case createdAt = "created_at"
        case newExperts = "new_experts"
        case rolledBackTo = "rolled_back_to"
        case domainAccuracy = "domain_accuracy"
        case meanAccuracy = "mean_accuracy"
    }

    /// Encodes every key, with `null` for absent values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encode(phase, forKey: .phase)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(job, forKey: .job)
        try c.encode(rolledBackTo, forKey: .rolledBackTo)
        try c.encode(domain, forKey: .domain)
        try c.encode(experts, forKey: .experts)
        try c.encode(newExperts, forKey: .newExperts)
        try c.encode(domainAccuracy, forKey: .domainAccuracy)
        try c.encode(meanAccuracy, forKey: .meanAccuracy)
        try c.encode(domains, forKey: .domains)
        try c.encode(serving, forKey: .serving)
    }
}

extension HomeViews {
    /// Every version of `model`, oldest first, with its phase, experts and held-out accuracies.
    /// - Throws: ``ServiceError/unknownModel(name:known:)`` or a `StoreError`.
    public func versions(model: String) async throws -> [APIVersion] {
        let host = try await hosts.host(named: model)
        let versions = try await store.modelVersions(model: host.name)
        guard let latest = versions.map(\.number).max() else { return [] }
        let names = Dictionary(uniqueKeysWithValues: try await store.domains(model: host.name).map { ($0.id, $0.name) })
        let accuracy = try await store.accuracyMatrix(model: host.name, metric: .accuracy)
        let byID = Dictionary(uniqueKeysWithValues: versions.map { ($0.id, $0) })
        let restored = ModelVersionRecord.restoredVersions(versions)
        return versions.sorted { $0.number < $1.number }.map { version in
            let parent: ModelVersionRecord? = version.parentID.flatMap { byID[$0] }
            let newExperts: Int = version.expertCount - (parent?.expertCount ?? 0)
            let domain = names[version.domainID] ?? "?"
            let row = accuracy.versions.firstIndex(of: version.number).map { accuracy.values[$0].compactMap { $0 } } ?? []
            return APIVersion(number: version.number, phase: version.number - 1, createdAt: version.createdAt, job: version.jobID,
                              rolledBackTo: restored[version.number], domain: domain, experts: version.expertCount, newExperts: newExperts,
                              domainAccuracy: accuracy.value(version: version.number, domain: domain),
                              meanAccuracy: row.isEmpty ? nil : row.reduce(0, +) / Double(row.count), domains: row.count,
                              serving: version.number == latest)
        }
    }
}

extension HomeViews {
    /// Version `number` of `model` as a safetensors file (``WeightsExport``).
    /// - Throws: ``ServiceError/unknownModel(name:known:)``, ``ServiceError/unknownVersion(number:model:)``
    ///   or a `StoreError`.
    public func weights(model: String, version number: Int) async throws -> Data {
        let host = try await hosts.host(named: model)
        guard let loaded = try await host.model(version: number, from: store) else {
            throw ServiceError.unknownVersion(number: number, model: host.name)
        }
        return try WeightsExport.safetensors(loaded.model, labels: loaded.labels, name: host.name, version: number)
    }
}

extension GroveAPI {
    /// `GET /v1/models/{model}/versions/{number}/safetensors` (`/v1/versions/{number}/safetensors`
    /// for `default`): the version's weights as safetensors.
    /// - Throws: 400 for a malformed number, 404 for an unknown model or version.
    func versionWeights(_ context: BasicRequestContext, model: String) async throws -> Response {
        let number = try RequestParameters.integer(context.parameters.get("number") ?? "", in: 1...Int64(Int32.max), name: "path parameter 'number'")
        let data = try await views.weights(model: model, version: Int(number))
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `POST /v1/models/{model}/versions/{number}/rollback` (`/v1/versions/{number}/rollback`
    /// for model `default`): ``ModelHost/rollback(to:in:)``; answers the new version.
    func rollback(_ context: BasicRequestContext, model: String) async throws -> Response {
        let number = try RequestParameters.integer(context.parameters.get("number") ?? "", in: 1...Int64(Int32.max), name: "path parameter 'number'")
        let host = try await daemon.hosts.host(named: model)
        let committed = try await host.rollback(to: Int(number), in: daemon.store)
        guard let version = try await views.versions(model: model).first(where: { $0.number == committed.number }) else {
            throw ServiceError.unknownVersion(number: committed.number, model: model)
        }
        return try JSONBody.response(version, status: .created)
    }
}
