import Foundation
import GRDB
import GroveStore
import PostgresNIO

/// Copies a home's whole SQLite store into an empty PostgreSQL store, in one transaction:
/// `grove store copy --from sqlite:PATH --to postgres://…`.
///
/// Every table is copied row for row with its ids, so lineage, evaluation history, events and
/// blobs keep their references; the identity sequences then continue after the highest id.
/// `job_counts` is not copied: the triggers on `jobs` rebuild it as the jobs arrive. Values
/// cross as text cast to each PostgreSQL column's type (times are read as UTC), payloads as
/// `bytea`. The target must be empty; a failure leaves it empty.
public enum StoreCopy {
    /// The tables in an order that respects every reference.
    static let tables = [
        "models", "blobs", "jobs", "domains", "datasets", "held_out_splits", "gate_versions", "model_versions",
        "experts", "detections", "detection_evidence", "evaluations", "replay_reservoirs", "events", "drift_windows",
        "drift_events",
    ]

    /// Copies `source` into `target` and returns the rows copied per table, in copy order.
    /// - Throws: `StoreError.invalidArgument` when the target holds any job, model or blob;
    ///   any `StoreError` of either store (nothing is then written).
    public static func copy(from source: SQLiteStore, to target: PostgresStore) async throws -> [(table: String, rows: Int)] {
        try await target.transaction { connection in
            let existing = try await connection.scalar(Int.self, """
                SELECT (SELECT count(*) FROM jobs) + (SELECT count(*) FROM models) + (SELECT count(*) FROM blobs)
                """, logger: target.logger) ?? 0
            guard existing == 0 else {
                throw StoreError.invalidArgument("the target store is not empty (\(existing) jobs, models and blobs); copy into a new database")
            }
            try await connection.execute("SET LOCAL TIME ZONE 'UTC'", logger: target.logger)
            var copied: [(table: String, rows: Int)] = []
            for table in tables {
                let types = try await columnTypes(of: table, connection, target)
                copied.append((table, try await copyTable(table, types: types, from: source, connection, target)))
            }
            for table in tables where try await hasIdentity(table, connection, target) {
                try await connection.execute(PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce(max(id), 0) + 1, false) FROM \(table)
                    """), logger: target.logger)
            }
            return copied
        }
    }

    /// The PostgreSQL type of each column of `table`.
    private static func columnTypes(of table: String, _ connection: PostgresConnection, _ target: PostgresStore) async throws -> [String: String] {
        var types: [String: String] = [:]
        let rows = try await connection.query("""
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = \(table)
            """, logger: target.logger)
        for try await (name, type) in rows.decode((String, String).self) { types[name] = type }
        return types
    }

    private static func hasIdentity(_ table: String, _ connection: PostgresConnection, _ target: PostgresStore) async throws -> Bool {
        try await connection.scalar(Bool.self, """
            SELECT EXISTS (SELECT 1 FROM information_schema.columns
                           WHERE table_schema = 'public' AND table_name = \(table) AND column_name = 'id' AND is_identity = 'YES')
            """, logger: target.logger) ?? false
    }

    /// Copies one table page by page (by rowid, or by offset for tables without one).
    private static func copyTable(_ table: String, types: [String: String], from source: SQLiteStore,
                                  _ connection: PostgresConnection, _ target: PostgresStore) async throws -> Int {
        let withoutRowID = try await source.database.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])?
                .uppercased().contains("WITHOUT ROWID") ?? false
        }
        let pageSize = table == "blobs" ? 16 : 500
        var copied = 0
        var lastRowID: Int64 = .min
        while true {
            let (offset, after) = (copied, lastRowID)
            let page = try await source.database.read { db -> (columns: [String], rows: [[DatabaseValue]], lastRowID: Int64?) in
                let rows = withoutRowID
                    ? try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2 LIMIT ? OFFSET ?", arguments: [pageSize, offset])
                    : try Row.fetchAll(db, sql: "SELECT rowid AS grove_rowid, * FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                       arguments: [after, pageSize])
                let columns = rows.first?.columnNames.filter { $0 != "grove_rowid" } ?? []
                return (columns, rows.map { row in columns.map { row[$0] as DatabaseValue } }, rows.last?["grove_rowid"])
            }
            guard !page.rows.isEmpty else { return copied }
            for column in page.columns where types[column] == nil {
                throw StoreError.invalidArgument("column \(table).\(column) of the SQLite store has no PostgreSQL counterpart")
            }
            var bindings = PostgresBindings()
            var tuples: [String] = []
            for values in page.rows {
                var placeholders: [String] = []
                for (column, value) in zip(page.columns, values) {
                    let type = types[column] ?? "text"
                    try bindings.append(value: value)
                    placeholders.append("$\(bindings.count)::\(type)")
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            try await connection.execute(PostgresQuery(unsafeSQL: """
                INSERT INTO \(table) (\(page.columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))
                """, binds: bindings), logger: target.logger)
            copied += page.rows.count
            lastRowID = page.lastRowID ?? lastRowID
        }
    }
}

extension PostgresBindings {
    /// Binds a SQLite value: bytes as `bytea`, NULL as NULL, everything else as text for the
    /// SQL to cast to its column's type.
    fileprivate mutating func append(value: DatabaseValue) throws {
        switch value.storage {
        case .null: appendNull()
        case .blob(let data): try append(data)
        case .int64(let integer): append(String(integer))
        case .double(let double): append("\(double)")
        case .string(let text): append(text)
        }
    }
}
