import ArgumentParser
import Foundation
import GroveService
import GroveStore
import GroveStorePostgres

/// `grove store`: tools for a store as a whole.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Tools for a whole store.",
        subcommands: [StoreCopyCommand.self]
    )
}

/// `grove store copy`: moves a home's history from its SQLite store to a PostgreSQL one.
struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite store (a home's history) into an empty PostgreSQL store.",
        discussion: """
            Copies every job, model, version, expert, evaluation, event and blob with its id, in one transaction, \
            then prints the rows copied per table. The target must be empty (a new database); a failed copy leaves \
            it empty. Stop the home's daemon first, or the copy misses what it commits meanwhile. Afterwards, start \
            daemons with --store on the target; the home's own files (uploads, inbox) stay where they are.
            """
    )

    @Option(help: ArgumentHelp("The source: sqlite:PATH, where PATH is a home directory or its grove.sqlite.", valueName: "sqlite:path"))
    var from: String

    @Option(help: ArgumentHelp("The target: a postgres:// URL of an empty database.", valueName: "url"))
    var to: String

    func validate() throws {
        guard from.hasPrefix("sqlite:"), from.count > "sqlite:".count else {
            throw ValidationError("--from must be sqlite:PATH (a home directory or its grove.sqlite), got '\(from)'")
        }
        guard to.hasPrefix("postgres://") || to.hasPrefix("postgresql://") else {
            throw ValidationError("--to must be a postgres:// URL")
        }
    }

    func run() async throws {
        try await reportingErrors {
            var path = String(from.dropFirst("sqlite:".count))
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                path = URL(fileURLWithPath: path).appendingPathComponent(SQLiteStore.fileName).path
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw StoreError.cannotOpen(path: path, reason: "no such file")
            }
            var readonly = SQLiteStore.Configuration()
            readonly.readonly = true
            let source = try SQLiteStore.open(path: path, configuration: readonly)
            let target = try await PostgresStore.open(url: to)
            let start = ContinuousClock.now
            let copied: [(table: String, rows: Int)]
            do {
                copied = try await StoreCopy.copy(from: source, to: target)
            } catch {
                await target.close()
                throw error
            }
            await target.close()
            let seconds = (ContinuousClock.now - start).components
            for (table, rows) in copied {
                print("\(table): \(rows) row(s)")
            }
            print("copied \(copied.reduce(0) { $0 + $1.rows }) rows to \(target.location) in \(seconds.seconds).\(String(format: "%03d", seconds.attoseconds / 1_000_000_000_000_000)) s")
        }
    }
}
