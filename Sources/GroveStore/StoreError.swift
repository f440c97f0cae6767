import GRDB
import GroveNumerics

/// What can go wrong in the store; each case prints as one line after `error: `.
///
/// SQLite failures arrive as ``database(code:message:)`` with the SQLite result code and
/// message only: bound arguments (paths, weights) are never printed.
public enum StoreError: GroveError, Equatable {
    /// The home directory or the database file could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// No blob has this hash.
    case blobNotFound(sha256: String)
    /// The stored bytes of a blob no longer hash to its name.
    case blobCorrupted(sha256: String, actual: String)
    /// The stored bytes of a blob cannot be decoded (a broken deflate stream, an unknown encoding).
    case blobUndecodable(sha256: String, reason: String)
    /// No job has this id.
    case jobNotFound(id: Int64)
    /// The job is not in a state that allows the operation.
    case invalidJobTransition(id: Int64, from: JobState, operation: String)
    /// No model has this name.
    case modelNotFound(name: String)
    /// A phase disagrees with the stored input dimension of its model.
    case inputDimensionMismatch(model: String, stored: Int, given: Int)
    /// A phase's label list moves or drops a stored label (labels only ever grow; empty names
    /// are free indices that may be filled).
    case labelsNotExtended(model: String)
    /// No domain of the model has this name.
    case unknownDomain(model: String, name: String)
    /// No expert of the model has this id.
    case unknownExpert(id: Int64)
    /// An ``ExpertReference/new(_:)`` index that does not point at an earlier new expert.
    case invalidExpertReference(index: Int, count: Int)
    /// An argument outside its allowed range.
    case invalidArgument(String)
    /// The worker no longer holds the job: its lease ran out and the job was queued again (or
    /// claimed by another worker), or it ended meanwhile. Nothing was changed.
    case leaseLost(jobID: Int64)
    /// A phase was computed from a model version that is no longer the newest: another phase
    /// of the model committed first. Nothing was changed; the job may be retried.
    case headMoved(model: String, expected: Int, found: Int)
    /// A rollback was asked while a phase of the model runs: its commit would build on the
    /// version rolled back. Nothing was changed.
    case modelBusy(model: String, jobID: Int64)
    /// The disk is full: SQLite could not grow the database or its journal (`SQLITE_FULL`), or
    /// a file could not be written (`ENOSPC`, `EDQUOT`). Nothing was changed; the operation
    /// may succeed once space is freed.
    case diskFull(reason: String)
    /// Another connection (another process, e.g. a phase child) held the database lock longer
    /// than the busy timeout (`SQLITE_BUSY`, `SQLITE_LOCKED`). Nothing was changed; retry later.
    case busy(reason: String)
    /// SQLite refused an operation (a constraint, a corrupt file, ...).
    case database(code: Int32, message: String)
    /// PostgreSQL refused an operation: its five-character SQLSTATE and message.
    case server(sqlState: String, message: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open store at \(path): \(reason)"
        case .blobNotFound(let sha256):
            "blob \(sha256) not found"
        case .blobCorrupted(let sha256, let actual):
            "blob \(sha256) is corrupted: its bytes hash to \(actual)"
        case .blobUndecodable(let sha256, let reason):
            "blob \(sha256) is corrupted: \(reason)"
        case .jobNotFound(let id):
            "job \(id) not found"
        case .invalidJobTransition(let id, let from, let operation):
            "cannot \(operation) job \(id): it is \(from.rawValue)"
        case .modelNotFound(let name):
            "model '\(name)' not found"
        case .inputDimensionMismatch(let model, let stored, let given):
            "model '\(model)' has input dimension \(stored), the phase has \(given)"
        case .labelsNotExtended(let model):
            "model '\(model)': the new label list must keep every stored label at its index"
        case .unknownDomain(let model, let name):
            "model '\(model)' has no domain '\(name)'"
        case .unknownExpert(let id):
            "expert \(id) not found in this model"
        case .invalidExpertReference(let index, let count):
            "new expert reference \(index) is out of range (only \(count) earlier new experts)"
        case .invalidArgument(let message):
            "invalid argument: \(message)"
        case .leaseLost(let jobID):
            "job \(jobID) is no longer held by this worker (its lease ran out or the job ended)"
        case .headMoved(let model, let expected, let found):
            "model '\(model)' moved on: the phase started from version \(expected), the newest is \(found)"
        case .modelBusy(let model, let jobID):
            "model '\(model)' is running job \(jobID); wait for it to end or cancel it, then roll back"
        case .diskFull(let reason):
            "the disk is full (\(reason)); free some space and try again"
        case .busy(let reason):
            "the store is busy (\(reason)); try again shortly"
        case .database(let code, let message):
            "SQLite error \(code): \(message)"
        case .server(let sqlState, let message):
            "PostgreSQL error \(sqlState): \(message)"
        }
    }

    /// Whether the operation may succeed if tried again later, unchanged: a full disk, a busy
    /// database, memory or I/O trouble, a store that cannot be opened right now, as opposed
    /// to a request the store's rules forbid. A caller that retries should wait between
    /// attempts (backoff).
    public var isTransient: Bool {
        switch self {
        case .diskFull, .busy, .cannotOpen: true
        case .database(let code, _):
            // Primary result codes NOMEM, IOERR, CANTOPEN, PROTOCOL (BUSY, LOCKED and FULL have cases).
            [7, 10, 14, 15].contains(code & 0xFF)
        case .server(let sqlState, _):
            // Classes 08 (connection), 53 (resources), 57 (operator intervention, such as a
            // server shutting down) and 58 (system errors).
            ["08", "53", "57", "58"].contains(String(sqlState.prefix(2)))
        default: false
        }
    }
}

extension StoreError {
    /// Runs `body`, turning GRDB errors into ``StoreError`` (see ``init(_:)``).
    /// ``StoreError``s and anything else (such as `CancellationError`) pass through.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw StoreError(error)
        }
    }

    /// A SQLite failure as a store error: ``diskFull(reason:)`` for `SQLITE_FULL`,
    /// ``busy(reason:)`` for `SQLITE_BUSY` and `SQLITE_LOCKED`, else
    /// ``database(code:message:)`` with the extended result code.
    init(_ error: DatabaseError) {
        let message = error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_FULL: self = .diskFull(reason: message)
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(reason: message)
        default: self = .database(code: error.extendedResultCode.rawValue, message: message)
        }
    }
}

