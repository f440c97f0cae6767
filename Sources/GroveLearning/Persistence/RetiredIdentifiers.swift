/// What a rollback took out of a model's line: expert numbers and domain names that stay in
/// the store's lineage, so that later phases never hand them out again.
///
/// A rollback to version V serves V's experts and domains; the experts and domains of the
/// versions after V remain in the store's history under their numbers and names. A phase after
/// the rollback numbers its new experts from ``expertFloor`` on and never names a fresh domain
/// after a retired one (a declared name may still reuse one: the submitter says it is that domain).
public struct RetiredIdentifiers: Sendable, Codable, Equatable {
    /// New experts are numbered from here on (or from the model's next number, when higher).
    public var expertFloor: Int
    /// Names of the domains the model no longer knows, sorted.
    public var domains: [String]

    /// Identifiers that new experts and fresh domains must not take.
    public init(expertFloor: Int, domains: [String]) {
        self.expertFloor = expertFloor
        self.domains = domains.sorted()
    }

    /// The union of two sets of retired identifiers (a rollback after a rollback keeps both).
    public func merging(_ other: RetiredIdentifiers?) -> RetiredIdentifiers {
        guard let other else { return self }
        return RetiredIdentifiers(expertFloor: max(expertFloor, other.expertFloor), domains: Array(Set(domains + other.domains)))
    }
}
