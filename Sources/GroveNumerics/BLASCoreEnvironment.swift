#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who chose the kernels OpenBLAS runs.
public enum BLASCoreSource: String, Sendable, Equatable, Codable, CaseIterable {
    /// OpenBLAS's own detection (no `OPENBLAS_CORETYPE`).
    case openblas
    /// Grove, from `cpuid`, because OpenBLAS's detection fell short (it restarted itself with
    /// `OPENBLAS_CORETYPE` set).
    case grove
    /// `OPENBLAS_CORETYPE`, set by the user.
    case user
}

/// The two environment variables behind the core choice: OpenBLAS's `OPENBLAS_CORETYPE` and
/// Grove's marker, which records that Grove set it.
public struct BLASCoreEnvironment: Sendable, Equatable {
    /// The variable OpenBLAS reads in its library constructor.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"
    /// The variable Grove sets beside it when it chose the core itself.
    public static let markerVariable = "GROVE_BLAS_CORE_CHOSEN"

    /// `OPENBLAS_CORETYPE`, when set.
    public var coreType: String?
    /// `GROVE_BLAS_CORE_CHOSEN`, when set.
    public var chosenByGrove: String?

    /// The variables given directly.
    public init(coreType: String?, chosenByGrove: String?) {
        self.coreType = coreType
        self.chosenByGrove = chosenByGrove
    }

    /// The variables of this process.
    public static var current: BLASCoreEnvironment {
        BLASCoreEnvironment(coreType: variable(coreTypeVariable), chosenByGrove: variable(markerVariable))
    }

    /// Who chose the `reported` core: the user when `OPENBLAS_CORETYPE` is set and not by
    /// Grove; Grove when its marker names the `OPENBLAS_CORETYPE` in force and OpenBLAS runs
    /// that core; else OpenBLAS's own detection (also when it did not accept Grove's name).
    public func source(reported: String) -> BLASCoreSource {
        guard let coreType else { return .openblas }
        guard chosenByGrove == coreType else { return .user }
        return reported.lowercased() == coreType.lowercased() ? .grove : .openblas
    }

    private static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
