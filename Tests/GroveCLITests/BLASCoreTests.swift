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

        /// The restart end to end: under qemu-user's `max` CPU with an Intel vendor string
        /// (AVX2 and FMA, a model OpenBLAS 0.3.21 does not know), OpenBLAS falls back to
        /// `Prescott`; grove chooses from cpuid and execs `/proc/self/exe`, which qemu-user runs
        /// natively with `OPENBLAS_CORETYPE` set. Skipped without qemu-user, or when that CPU
        /// is recognised after all (then there is nothing to restart for).
        @Test func aCPUOpenBLASDoesNotKnowGetsTheCoreCPUIDSuggests() async throws {
            #if arch(x86_64)
            let qemu = "/usr/bin/qemu-x86_64"
            guard FileManager.default.isExecutableFile(atPath: qemu), let binary = GroveBinary.url else { return }
            let emulated = ["-cpu", "max,vendor=GenuineIntel", binary.path, "blas", "--json"]
            // The marker alone forbids the restart: what OpenBLAS and cpuid say on that CPU.
            let before = try await runEmulated(qemu, emulated, environment: ["GROVE_BLAS_CORE_CHOSEN": "none"])
            guard before.blas_core == "Prescott", let suggestion = before.cpu_suggests else { return }
            let after = try await runEmulated(qemu, emulated, environment: [:])
            #expect(after.blas_core == suggestion && after.blas_core_source == "grove", "before: \(before), after: \(after)")
            #endif
        }

        private func runEmulated(_ qemu: String, _ arguments: [String], environment: [String: String]) async throws -> Report {
            let run = try await runGrove(arguments, environment: environment, removing: Self.variables, executable: URL(fileURLWithPath: qemu))
            #expect(run.status == 0, "\(run)")
            return try run.json(Report.self)
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
