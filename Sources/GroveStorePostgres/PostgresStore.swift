import Foundation
import GroveStore
import Logging
import PostgresNIO

/// The server ``Store``: one PostgreSQL database that several Grove processes share.
///
/// It keeps the same tables, rules and audit log as ``SQLiteStore`` (`schemas/store.postgres.sql`),
/// through a pool of connections (postgres-nio's `PostgresClient`). Every write is one
/// transaction at PostgreSQL's default isolation (read committed); the rows a write depends on
/// are locked (`FOR UPDATE`), and the phases of one model are serialised by a transaction-level
/// advisory lock on the model's name, so two workers never commit the same version number.
/// A deadlock or serialisation failure retries the whole transaction a few times before
/// failing with ``StoreError/busy(reason:)``. Opening migrates the schema (``PostgresSchema``)
/// under a session advisory lock, so workers that start together migrate once.
///
/// ```swift
/// let store = try await PostgresStore.open(location: PostgresLocation(url: "postgres://grove@db/grove"))
/// let latest = try await store.latestModelVersion(model: "default")
/// await store.close()
/// ```
public final class PostgresStore: Store {
    /// How the store connects.
    public struct Configuration: Sendable {
        /// Connections the pool may open at once. Default 8.
        public var maximumConnections = 8
        /// How long an operation waits for a connection (the server unreachable, or every
        /// pooled connection busy) before failing with ``StoreError/cannotOpen(path:reason:)``.
        /// Default 10 s.
        public var connectTimeout: Duration = .seconds(10)
        /// Open read-only: no migration, every transaction read-only, and a store whose schema
        /// is not this version's is refused. Default `false`.
        public var readonly = false
        /// Where the connection pool logs (connection trouble). Default: warnings and worse.
        public var logger: Logger = {
            var logger = Logger(label: "grove.store.postgres")
            logger.logLevel = .warning
            return logger
        }()

        /// The default configuration.
        public init() {}
    }

    /// Where the store lives.
    public let location: PostgresLocation
    let client: PostgresClient
    let logger: Logger
    private let leaseTimeout: Duration
    private let running: Task<Void, Never>

    private init(location: PostgresLocation, client: PostgresClient, configuration: Configuration, running: Task<Void, Never>) {
        self.location = location
        self.client = client
        self.logger = configuration.logger
        self.leaseTimeout = configuration.connectTimeout
        self.running = running
    }

    deinit {
        running.cancel()
    }

    /// Connects to the database at `location` and migrates its schema (unless read-only).
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the server cannot be reached or
    ///   refuses the login, or when its schema belongs to another Grove version.
    public static func open(location: PostgresLocation, configuration: Configuration = Configuration()) async throws -> PostgresStore {
        var clientConfiguration = location.clientConfiguration
        clientConfiguration.options.maximumConnections = max(1, configuration.maximumConnections)
        clientConfiguration.options.connectTimeout = configuration.connectTimeout
        clientConfiguration.options.additionalStartupParameters = [("application_name", "grove")]
        if configuration.readonly {
            clientConfiguration.options.additionalStartupParameters.append(("default_transaction_read_only", "on"))
        }
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: configuration.logger)
        let running = Task { await client.run() }
        let store = PostgresStore(location: location, client: client, configuration: configuration, running: running)
        do {
            try await store.withConnection { connection in
                if configuration.readonly {
                    try await PostgresSchema.requireCurrent(connection, location: location, logger: configuration.logger)
                } else {
                    try await PostgresSchema.migrate(connection, location: location, logger: configuration.logger)
                }
            }
        } catch {
            running.cancel()
            if let error = error as? StoreError, case .cannotOpen = error { throw error }
            throw StoreError.cannotOpen(path: location.description, reason: Self.describe(error))
        }
        return store
    }

    /// Opens the store at a `postgres://` URL (see ``PostgresLocation``).
    public static func open(url: String, configuration: Configuration = Configuration()) async throws -> PostgresStore {
        try await open(location: PostgresLocation(url: url), configuration: configuration)
    }

    /// Closes the pool's connections; later calls fail.
    public func close() async {
        running.cancel()
        _ = await running.result
    }

    /// Nil: PostgreSQL has no cheap counter of commits, so views are computed per request.
    public func changeStamp() async throws -> Int64? { nil }

    /// PostgreSQL enforces every reference between rows itself; the check confirms that the
    /// server answers, that the schema is this Grove's, and that every version counts exactly
    /// the experts created on its line of parents: `["ok"]`, else one line per problem.
    public func integrityCheck() async throws -> [String] {
        try await read { connection in
            var problems: [String] = []
            do {
                try await PostgresSchema.requireCurrent(connection, location: self.location, logger: self.logger)
            } catch let error as StoreError {
                problems.append(error.description)
            }
            // Each version's line of parents, as (version, ancestor or itself) pairs.
            let rows = try await connection.query("""
                WITH RECURSIVE line(version_id, id) AS (
                    SELECT id, id FROM model_versions
                    UNION ALL
                    SELECT line.version_id, v.parent_id FROM model_versions v JOIN line ON v.id = line.id
                    WHERE v.parent_id IS NOT NULL
                )
                SELECT v.id, v.expert_count, (SELECT count(*) FROM experts e JOIN line ON line.id = e.created_version_id
                                              WHERE line.version_id = v.id)
                FROM model_versions v
                """, logger: self.logger)
            for try await (id, expected, found) in rows.decode((Int64, Int, Int).self) where expected != found {
                problems.append("model version \(id) counts \(expected) experts but has \(found)")
            }
            return problems.isEmpty ? ["ok"] : problems
        }
    }

    // MARK: - Transactions

    /// How often a transaction that hit a deadlock or a serialisation failure is tried again.
    static let transactionAttempts = 5

    /// Runs `body` in one transaction on one pooled connection: committed when it returns,
    /// rolled back when it throws. A deadlock or serialisation failure runs it again (up to
    /// ``transactionAttempts`` times). Errors become ``StoreError``.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await mapping {
                    try await withConnection { connection in
                        try await connection.query("BEGIN", logger: self.logger)
                        do {
                            let value = try await body(connection)
                            try await connection.query("COMMIT", logger: self.logger)
                            return value
                        } catch {
                            _ = try? await connection.query("ROLLBACK", logger: self.logger)
                            throw error
                        }
                    }
                }
            } catch StoreError.busy(let reason) where attempt < Self.transactionAttempts {
                logger.debug("transaction retried", metadata: ["reason": "\(reason)", "attempt": "\(attempt)"])
                attempt += 1
                try await Task.sleep(for: .milliseconds(10 * attempt))
            }
        }
    }

    /// Runs `body` on one pooled connection outside an explicit transaction (each statement
    /// commits by itself): for reads. Errors become ``StoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await mapping {
            try await withConnection { connection in try await body(connection) }
        }
    }

    /// Runs `body` on a pooled connection, failing with ``StoreError/cannotOpen(path:reason:)``
    /// when none is leased within the configured timeout. (The pool itself would wait for as
    /// long as the server stays unreachable.) Once leased, `body` runs to its end.
    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let leased = LeaseFlag()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await self.client.withConnection { connection in
                    leased.set()
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: self.leaseTimeout)
                guard leased.isSet else {
                    throw StoreError.cannotOpen(path: self.location.description, reason: "no connection to the server within \(self.leaseTimeout)")
                }
                return nil
            }
            while let finished = try await group.next() {
                if let value = finished {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }

    /// Runs `body`, turning PostgreSQL and connection errors into ``StoreError``.
    func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw storeError(error)
        }
    }

    /// A PostgreSQL or connection error as a ``StoreError``: ``StoreError/diskFull(reason:)``
    /// for SQLSTATE 53100, ``StoreError/busy(reason:)`` for deadlocks, serialisation failures
    /// and lock timeouts, ``StoreError/server(sqlState:message:)`` for other server errors,
    /// and ``StoreError/cannotOpen(path:reason:)`` (transient) when the connection failed.
    func storeError(_ error: any Error) -> StoreError {
        if let error = error as? PSQLError, let info = error.serverInfo, let sqlState = info[.sqlState] {
            let message = info[.message] ?? "no message"
            switch sqlState {
            case "53100": return .diskFull(reason: message)
            case "40001", "40P01", "55P03": return .busy(reason: message)
            default: return .server(sqlState: sqlState, message: message)
            }
        }
        if let error = error as? PostgresDecodingError {
            return .server(sqlState: "22000", message: "cannot decode column \(error.columnName) as \(error.targetType)")
        }
        return .cannotOpen(path: location.description, reason: Self.describe(error))
    }

    /// One line for an error that did not come from the server's SQL.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

/// Whether a connection has been leased, set by the lease and read by its timer.
private final class LeaseFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() {
        lock.withLock { value = true }
    }
}

// MARK: - Escape hatch for tooling and tests

extension PostgresStore {
    /// Runs one SQL statement outside the ``Store`` API and returns its rows' first column as
    /// text. For tests and tooling that must reach behind the store's rules; never for input.
    package func unsafeRows(_ sql: String) async throws -> [String?] {
        try await read { connection in
            var values: [String?] = []
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: self.logger).decode(String?.self) {
                values.append(value)
            }
            return values
        }
    }
}
