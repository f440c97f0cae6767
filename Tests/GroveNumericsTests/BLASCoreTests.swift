import COpenBLAS
import GroveNumerics
import Testing

/// The BLAS core Grove reports is the one OpenBLAS says it runs.
@Test func theReportedBLASCoreIsTheOneInOpenBLASsConfiguration() throws {
    let core = BLAS.coreName
    let config = String(cString: try #require(openblas_get_config()))
    #expect(!core.isEmpty && core != "unknown")
    #expect(config.lowercased().contains(core.lowercased()), "core '\(core)' is not in '\(config)'")
    #expect(BLAS.threads >= 1)
}
