/// A store that announces every committed model version, whichever process committed it, so
/// that workers sharing the store serve new versions without polling (PostgreSQL's
/// `LISTEN`/`NOTIFY` on channel `grove_versions`).
public protocol VersionAnnouncing: Store {
    /// Calls `announced` for each version committed from now on, until the task is cancelled
    /// or the connection fails (then it throws; call it again to resume).
    func followVersions(_ announced: @escaping @Sendable (VersionAnnouncement) async -> Void) async throws
}

/// One committed version: its model and number.
public struct VersionAnnouncement: Sendable, Hashable, Decodable {
    /// The model's name.
    public var model: String
    /// The version's number.
    public var number: Int

    /// An announcement.
    public init(model: String, number: Int) {
        self.model = model
        self.number = number
    }
}
