import Foundation
import GroveNumerics

/// The first thing `grove` does: when OpenBLAS detected weaker kernels than the CPU runs (an
/// unrecognised CPU gets the generic `Prescott` ones), set `OPENBLAS_CORETYPE` and exec again
/// so that OpenBLAS's library constructor reads it. See ``BLASCoreChoice``.
enum BLASCoreStartup {
    /// Restarts the process with the better core when ``BLASCoreChoice`` says so (on Linux,
    /// through `/proc/self/exe`); returns when it does not, or when the exec fails (after one
    /// warning on standard error).
    static func chooseCore() {
        let environment = BLASCoreEnvironment.current
        let reported = BLAS.coreName
        if let chosen = environment.chosenByGrove, chosen == environment.coreType, environment.source(reported: reported) != .grove {
            warn("OpenBLAS did not accept \(BLASCoreEnvironment.coreTypeVariable)=\(chosen) and runs its \(reported) kernels")
        }
        #if os(Linux)
        let decision = BLASCoreChoice.decide(reported: reported, cpu: CPUFeatures.current, environment: environment, version: BLAS.version)
        guard case .choose(let core) = decision else { return }
        setenv(BLASCoreEnvironment.coreTypeVariable, core, 1)
        setenv(BLASCoreEnvironment.markerVariable, core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        let reason = String(cString: strerror(errno))
        unsetenv(BLASCoreEnvironment.coreTypeVariable)
        unsetenv(BLASCoreEnvironment.markerVariable)
        warn("could not restart with \(BLASCoreEnvironment.coreTypeVariable)=\(core) (\(reason)); OpenBLAS keeps its \(reported) kernels")
        #endif
    }

    private static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}
