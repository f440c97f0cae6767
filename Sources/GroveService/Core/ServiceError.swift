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

    public var description: String {
        switch self {
        case .unusableHome(let path, let reason): "home \(path) is unusable: \(reason)"
        case .storeFailed(let name, let reason): "\(name): could not store the upload: \(reason)"
        case .badSpec(let job, let reason): "job \(job): \(reason)"
        case .noModel(let name): "model '\(name)' has not learned anything yet"
        case .badInput(let message): message
        case .emptyUpload(let name): "\(name): empty upload"
        case .noHome(let path): "\(path) is not a Grove home (no grove.sqlite); start `grove daemon --home \(path)` or pass --server"
        }
    }
}
