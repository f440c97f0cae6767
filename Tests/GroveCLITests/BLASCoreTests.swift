import Foundation
import GroveNumerics
import Testing

extension GroveCLITests {
    /// `grove blas` names the core OpenBLAS runs in a fresh `grove` process and who chose it.
    @Suite struct BLASCore {
        struct Report: Decodable {
            var blas_core: String
            var blas_core_source: String
            var blas_threads: Int
            var cpu_suggests: String?
        }

        static let variables = [BLASCoreEnvironment.coreTypeVariable, BLASCoreEnvironment.markerVariable]

        @Test func theUsersCoreTypeWinsWithoutARestart() async throws {
            let run = try await runGrove(["blas", "--json"], environment: ["OPENBLAS_CORETYPE": "Prescott"], removing: Self.variables)
            #expect(run.status == 0 && run.stderr == "", "\(run)")
            let report = try run.json(Report.self)
            #expect(report.blas_core == "Prescott" && report.blas_core_source == "user", "\(run)")
            #expect(report.blas_threads >= 1)
        }

        /// Unset, OpenBLAS's detection stands unless Grove chose better from cpuid (on a CPU
        /// this OpenBLAS does not know); either way the core is at least what cpuid suggests.
        @Test func unsetEitherOpenBLASOrGroveChooses() async throws {
            let run = try await runGrove(["blas", "--json"], removing: Self.variables)
            #expect(run.status == 0 && run.stderr == "", "\(run)")
            let report = try run.json(Report.self)
            switch report.blas_core_source {
            case "openblas":
                if BLAS.coreSource == .openblas { #expect(report.blas_core == BLAS.coreName, "\(run)") }
            case "grove":
                #expect(report.blas_core == report.cpu_suggests, "\(run)")
            default:
                Issue.record("source \(report.blas_core_source) with OPENBLAS_CORETYPE unset: \(run)")
            }
        }

        /// The restarted process (both variables set, as Grove sets them) reports `grove` and
        /// does not restart again.
        @Test func aRestartedProcessSaysGroveChose() async throws {
            let restarted = ["OPENBLAS_CORETYPE": "SkylakeX", "GROVE_BLAS_CORE_CHOSEN": "SkylakeX"]
            let run = try await runGrove(["blas", "--json"], environment: restarted)
            #expect(run.status == 0 && run.stderr == "", "\(run)")
            let report = try run.json(Report.self)
            #expect(report.blas_core == "SkylakeX" && report.blas_core_source == "grove", "\(run)")
        }

        /// A name OpenBLAS refused is said once on standard error, the process goes on, and the
        /// core is reported as OpenBLAS's own choice.
        @Test func aRefusedChoiceIsReportedNotRetried() async throws {
            let refused = ["OPENBLAS_CORETYPE": "NoSuchCore", "GROVE_BLAS_CORE_CHOSEN": "NoSuchCore"]
            let run = try await runGrove(["blas", "--json"], environment: refused)
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains("did not accept OPENBLAS_CORETYPE=NoSuchCore"), "\(run)")
            let report = try run.json(Report.self)
            #expect(report.blas_core != "NoSuchCore" && report.blas_core_source == "openblas", "\(run)")
        }
    }
}
