import Foundation
import GroveStore
import PostgresNIO

/// Where a PostgreSQL store lives, parsed from a connection URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, the form `psql` and libpq accept.
///
/// The password may instead come from the `PGPASSWORD` environment variable, so that it stays
/// out of process listings. `?host=/run/postgresql` connects through the server's Unix
/// socket directory instead of TCP. Only unencrypted connections are supported
/// (`sslmode=disable`, the default here): run the server on a private network or loopback.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The user to connect as.
    public var user: String
    /// The password, if any.
    public var password: String?
    /// The host name or address (TCP), when no socket directory is given.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The Unix socket directory, when connecting through one.
    public var socketDirectory: String?
    /// The database name.
    public var database: String

    /// Parses a connection URL (`postgres://` or `postgresql://`).
    /// - Throws: `StoreError.invalidArgument` naming what is wrong.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased())
        else {
            throw StoreError.invalidArgument("'\(Self.redacted(text))' is not a postgres:// URL")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        for name in query.keys where !["host", "sslmode", "application_name"].contains(name) {
            throw StoreError.invalidArgument("postgres URL parameter '\(name)' is not supported (host, sslmode=disable)")
        }
        if let mode = query["sslmode"], mode != "disable" {
            throw StoreError.invalidArgument("sslmode=\(mode) is not supported: Grove connects without TLS (sslmode=disable)")
        }
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.removingPercentEncoding ?? path
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError.invalidArgument("the postgres URL must name one database (postgres://user@host/DATABASE)")
        }
        self.user = user
        self.password = components.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        self.host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        self.port = components.port ?? 5432
        self.socketDirectory = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        self.database = database
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        if let socketDirectory {
            return "postgres://\(user)@/\(database)?host=\(socketDirectory)"
        }
        return "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// The client configuration for this location.
    var clientConfiguration: PostgresClient.Configuration {
        if let socketDirectory {
            let socket = (socketDirectory as NSString).appendingPathComponent(".s.PGSQL.\(port)")
            return .init(unixSocketPath: socket, username: user, password: password, database: database)
        }
        return .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }

    /// The full URL, password included: for handing the location to a child process through
    /// its environment, never for printing.
    public var url: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = user
        components.password = password
        if socketDirectory == nil {
            components.host = host
            components.port = port
        } else {
            components.host = ""
            components.queryItems = [URLQueryItem(name: "host", value: socketDirectory)]
        }
        components.path = "/" + database
        return components.string ?? description
    }

    /// `text` with any password replaced, for an error message about it.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "****"
        return components.string ?? "the postgres URL"
    }
}
