import Foundation
import GroveStore
import GroveStorePostgres

/// Which store a process uses: the home's own SQLite file (the default), or a PostgreSQL
/// database that several daemons share.
///
/// Chosen by `--store` or the `GROVE_STORE` environment variable: `sqlite` (or nothing) for
/// `HOME/grove.sqlite`, a `postgres://` URL (see ``PostgresLocation``) for a server.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// `grove.sqlite` in the home directory.
    case home
    /// A PostgreSQL database.
    case postgres(PostgresLocation)

    /// The environment variable that names the store when `--store` is absent.
    public static let environmentVariable = "GROVE_STORE"

    /// Parses a `--store` value; `nil` reads ``environmentVariable``, and an absent or empty
    /// variable means ``home``.
    /// - Throws: `StoreError.invalidArgument` for anything else.
    public init(_ text: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let value = (text ?? environment[Self.environmentVariable] ?? "").trimmingCharacters(in: .whitespaces)
        if value.isEmpty || value == "sqlite" {
            self = .home
        } else if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: value, environment: environment))
        } else {
            throw StoreError.invalidArgument("store '\(value.prefix(60))' is neither 'sqlite' nor a postgres:// URL")
        }
    }

    /// Whether other daemons may share the store (a server), so that jobs are claimed under
    /// leases and other workers' commits are followed.
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// `sqlite` or the server's URL without its password.
    public var description: String {
        switch self {
        case .home: "sqlite"
        case .postgres(let location): location.description
        }
    }

    /// Opens (and migrates) the store for `home`.
    public func open(home: GroveHome) async throws -> any Store {
        switch self {
        case .home: try SQLiteStore.open(home: home.root)
        case .postgres(let location): try await PostgresStore.open(location: location)
        }
    }

    /// Opens the store without migrating or writing; a store of another schema version is refused.
    /// - Throws: ``ServiceError/noHome(path:)`` when the home has no database.
    public func openReadOnly(home: GroveHome) async throws -> any Store {
        switch self {
        case .home:
            guard FileManager.default.fileExists(atPath: home.database.path) else { throw ServiceError.noHome(path: home.root.path) }
            var configuration = SQLiteStore.Configuration()
            configuration.readonly = true
            return try SQLiteStore.open(path: home.database.path, configuration: configuration)
        case .postgres(let location):
            var configuration = PostgresStore.Configuration()
            configuration.readonly = true
            return try await PostgresStore.open(location: location, configuration: configuration)
        }
    }

    /// The environment a child process (a phase) needs to open the same store: the URL,
    /// password included, travels in ``environmentVariable`` rather than on the command line.
    func childEnvironment(_ base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = base
        switch self {
        case .home: environment[Self.environmentVariable] = "sqlite"
        case .postgres(let location): environment[Self.environmentVariable] = location.url
        }
        return environment
    }
}
