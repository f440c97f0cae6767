/// A model's domain ids by name, for resolving a phase's references inside its commit.
package struct DomainIDs {
    let model: ModelRecord
    let ids: [String: Int64]

    /// The ids of `model`'s domains (the first of a repeated name wins).
    package init(model: ModelRecord, rows: [(name: String, id: Int64)]) {
        self.model = model
        ids = Dictionary(rows.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    /// The id of domain `name`.
    /// - Throws: `StoreError.unknownDomain` when the model has no such domain.
    package func id(of name: String) throws -> Int64 {
        guard let id = ids[name] else {
            throw StoreError.unknownDomain(model: model.name, name: name)
        }
        return id
    }
}
