import GroveNumerics

/// Errors of the daemon's own work: submissions, homes and the job runner.
public enum ServiceError: GroveError, Equatable {
    /// The home directory cannot be created or written.
    case unusableHome(path: String, reason: String)
    /// A submitted file could not be stored.
    case storeFailed(name: String, reason: String)
    /// A job refers to a dataset spec that is missing or malformed.
    case badSpec(job: Int64, reason: String)
    /// No model has been trained yet, so there is nothing to predict with.
    case noModel(name: String)
    /// A request's input does not fit the model.
    case badInput(String)
    /// A submitted body is empty.
    case emptyUpload(name: String)
    /// A home has no database: no daemon has ever run there.
    case noHome(path: String)
    /// A model name breaks the naming rule (see ``ModelName``).
    case invalidModelName(String)
    /// No job names this model and no phase created it; `known` lists the models there are.
    case unknownModel(name: String, known: [String])
    /// A dataset's feature count differs from its model's input dimension.
    case dimensionMismatch(model: String, file: String, expected: Int, got: Int)
    /// A request names a file outside the home's uploads and the operator's data roots.
    case outsideDataRoots(field: String, path: String)
    /// A `--data-root` is not an existing directory.
    case unusableDataRoot(path: String, reason: String)
    /// The phase child process could not be started.
    case phaseNotStarted(reason: String)
    /// The phase child process died without recording an outcome; `cause` says how.
    case phaseCrashed(cause: String)
    /// The model has no drift event of this id.
    case unknownDriftEvent(id: Int64, model: String)
    /// The model has no committed version of this number.
    case unknownVersion(number: Int, model: String)
    /// A rollback that cannot be: to the version already served, or to one without a stored state.
    case cannotRollback(model: String, reason: String)
    /// The watch on a model's inputs did not load its domains in time (`grove bench --watch`).
    case watchNotReady(model: String, seconds: Int)

    public var description: String {
        switch self {
        case .unusableHome(let path, let reason): "home \(path) is unusable: \(reason)"
        case .storeFailed(let name, let reason): "\(name): could not store the upload: \(reason)"
        case .badSpec(let job, let reason): "job \(job): \(reason)"
        case .noModel(let name): "model '\(name)' has not learned anything yet"
        case .badInput(let message): message
        case .emptyUpload(let name): "\(name): empty upload"
        case .noHome(let path): "\(path) is not a Grove home (no grove.sqlite); start `grove daemon --home \(path)` or pass --server"
        case .invalidModelName(let name):
            "model name '\(name)' is not valid: use 1 to \(ModelName.maximumLength) letters, digits, '.', '_' or '-'"
        case .unknownModel(let name, let known):
            "unknown model '\(name)'; known models: \(known.joined(separator: ", "))"
        case .dimensionMismatch(let model, let file, let expected, let got):
            "\(file) has \(got) features, model '\(model)' expects \(expected); submit with --model NAME to start a separate model"
        case .outsideDataRoots(let field, let path):
            "\(field): \(path) is outside the files this daemon may read (uploads, and directories named with grove daemon --data-root); upload it with POST /v1/files or grove submit"
        case .unusableDataRoot(let path, let reason): "--data-root \(path): \(reason)"
        case .phaseNotStarted(let reason): "could not start the phase process: \(reason)"
        case .phaseCrashed(let cause): "the phase process \(cause); the model is unchanged and the job is not retried automatically"
        case .unknownDriftEvent(let id, let model): "model '\(model)' has no drift event \(id); grove drift lists them"
        case .unknownVersion(let number, let model): "model '\(model)' has no version \(number); grove versions lists them"
        case .cannotRollback(let model, let reason): "model '\(model)' cannot roll back: \(reason)"
        case .watchNotReady(let model, let seconds): "the watch did not load the domains of model '\(model)' within \(seconds) s; nothing was measured"
        }
    }
}
