import Foundation
import GroveStore
@testable import GroveStorePostgres
import GroveTestSupport
import Testing

/// `schemas/store.postgres.sql` describes exactly what the migrations build, and opening
/// refuses databases of other schema versions.
@Suite struct PostgresSchemaTests {
    /// The catalog of a database's public schema as sorted lines: columns, constraints,
    /// indexes, triggers and functions (the migrations' own bookkeeping left out).
    static func catalog(_ url: String, on cluster: PostgresTestCluster) throws -> [String] {
        let query = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '
                   || coalesce(column_default, '-') || ' ' || is_identity
            FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL SELECT 'function ' || proname || ' ' || md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
            """
        return try cluster.psql(url, ["-c", query]).split(separator: "\n").map(String.init)
            .filter { !$0.contains("grove_schema_migrations") }.sorted()
    }

    static func schemaFile(filePath: String = #filePath) -> URL {
        URL(filePath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schemas/store.postgres.sql")
    }

    @Test func theMigratedDatabaseHasExactlyTheSchemaFilesCatalog() async throws {
        let cluster = try PostgresTestCluster.shared()
        let migratedURL = try cluster.makeDatabase()
        let store = try await PostgresStore.open(url: migratedURL)
        await store.close()
        let fromFileURL = try cluster.makeDatabase()
        try cluster.psql(fromFileURL, ["-f", Self.schemaFile().path])

        let migrated = try Self.catalog(migratedURL, on: cluster)
        let fromFile = try Self.catalog(fromFileURL, on: cluster)
        #expect(migrated.count > 100, "\(migrated.count) catalog lines")
        #expect(migrated == fromFile, "only migrated: \(Set(migrated).subtracting(fromFile)); only in the file: \(Set(fromFile).subtracting(migrated))")
        #expect(migrated.contains { $0.hasPrefix("trigger CREATE TRIGGER events_are_append_only") })
    }

    @Test func scriptsSplitIntoWholeStatementsFunctionBodiesIncluded() throws {
        let text = try String(contentsOf: Self.schemaFile(), encoding: .utf8)
        let statements = PostgresSchema.statements(of: text)
        #expect(statements.count == text.components(separatedBy: "\nCREATE ").count - 1 + (text.hasPrefix("CREATE ") ? 1 : 0))
        #expect(statements.allSatisfy { $0.hasPrefix("CREATE ") && $0.hasSuffix(";") })
        let v2 = PostgresSchema.statements(of: PostgresSchema.v2)
        #expect(v2.count == 4 && v2[2].hasPrefix("CREATE FUNCTION") && v2[2].hasSuffix("$$;"), "\(v2)")
    }

    @Test func workersOpeningTogetherMigrateOnce() async throws {
        let url = try PostgresTestCluster.shared().makeDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore.open(url: url) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 4)
        #expect(try await stores[0].integrityCheck() == ["ok"])
        #expect(try await stores[0].unsafeRows("SELECT name FROM grove_schema_migrations ORDER BY name") == ["v1", "v2", "v3"])
        for store in stores { await store.close() }
    }

    @Test func aReadOnlyOpenRefusesAnUnmigratedOrNewerDatabase() async throws {
        let url = try PostgresTestCluster.shared().makeDatabase()
        var readonly = PostgresStore.Configuration()
        readonly.readonly = true
        let older = await #expect(throws: StoreError.self) { _ = try await PostgresStore.open(url: url, configuration: readonly) }
        #expect(older?.description.contains("its schema is older than this Grove's") == true, "\(String(describing: older))")

        let store = try await PostgresStore.open(url: url)
        _ = try await store.unsafeRows("INSERT INTO grove_schema_migrations (name) VALUES ('v99')")
        await store.close()
        for configuration in [PostgresStore.Configuration(), readonly] {
            let newer = await #expect(throws: StoreError.self) { _ = try await PostgresStore.open(url: url, configuration: configuration) }
            #expect(newer?.description.contains("a newer version of Grove wrote it") == true, "\(String(describing: newer))")
        }
    }

    @Test func aServerThatIsNotThereIsAOneLineTransientError() async throws {
        var quick = PostgresStore.Configuration()
        quick.connectTimeout = .seconds(2)
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(url: "postgres://grove:secret@127.0.0.1:1/grove", configuration: quick)
        }
        #expect(error?.isTransient == true)
        #expect(error?.description.hasPrefix("cannot open store at postgres://grove@127.0.0.1:1/grove: ") == true, "\(String(describing: error))")
        #expect(error?.description.contains("secret") == false, "the password stays out of messages")
        #expect(error?.description.contains("\n") == false)
    }

    @Test func connectionURLsAreCheckedAndTheirPasswordsKeptOutOfMessages() throws {
        let location = try PostgresLocation(url: "postgresql://ann:p%40ss@db.example:6543/grove_prod", environment: [:])
        #expect(location.user == "ann" && location.password == "p@ss" && location.host == "db.example" && location.port == 6543)
        #expect(location.database == "grove_prod" && location.description == "postgres://ann@db.example:6543/grove_prod")
        let socket = try PostgresLocation(url: "postgres://grove@/grove?host=/run/postgresql", environment: ["PGPASSWORD": "x"])
        #expect(socket.socketDirectory == "/run/postgresql" && socket.password == "x")
        #expect(throws: StoreError.invalidArgument("'mysql://a:****@b/c' is not a postgres:// URL")) {
            try PostgresLocation(url: "mysql://a:secret@b/c", environment: [:])
        }
        #expect(throws: StoreError.invalidArgument("the postgres URL must name one database (postgres://user@host/DATABASE)")) {
            try PostgresLocation(url: "postgres://a@b", environment: [:])
        }
        #expect(throws: StoreError.invalidArgument("sslmode=require is not supported: Grove connects without TLS (sslmode=disable)")) {
            try PostgresLocation(url: "postgres://a@b/c?sslmode=require", environment: [:])
        }
    }
}
