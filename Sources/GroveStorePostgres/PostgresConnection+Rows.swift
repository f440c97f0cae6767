import Foundation
import GroveStore
import Logging
import PostgresNIO

extension PostgresConnection {
    /// Every row of `query`, decoded as `T`.
    func records<T: Decodable>(_: T.Type, _ query: PostgresQuery, logger: Logger) async throws -> [T] {
        try await PostgresRowDecoder.decodeAll(T.self, from: self.query(query, logger: logger))
    }

    /// The first row of `query` decoded as `T`, if any.
    func record<T: Decodable>(_: T.Type, _ query: PostgresQuery, logger: Logger) async throws -> T? {
        try await records(T.self, query, logger: logger).first
    }

    /// The first column of the first row of `query`, if there is a row (`nil` also for NULL).
    func scalar<T: PostgresDecodable>(_: T.Type, _ query: PostgresQuery, logger: Logger) async throws -> T? {
        for try await row in try await self.query(query, logger: logger) {
            guard let cell = row.first(where: { _ in true }), cell.bytes != nil else { return nil }
            return try cell.decode(T.self)
        }
        return nil
    }

    /// Runs a statement whose rows, if any, are not needed.
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        try await self.query(query, logger: logger)
    }

    /// Appends an audit-log entry.
    func appendEvent(kind: EventKind, message: String, jobID: Int64?, versionID: Int64? = nil, at date: Date, logger: Logger) async throws {
        try await execute("""
            INSERT INTO events (created_at, kind, message, job_id, model_version_id)
            VALUES (\(date), \(kind.rawValue), \(message), \(jobID), \(versionID))
            """, logger: logger)
    }
}
