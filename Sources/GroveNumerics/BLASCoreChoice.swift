/// Whether Grove should restart itself with `OPENBLAS_CORETYPE` set, because the kernels
/// OpenBLAS detected are weaker than the CPU can run.
///
/// OpenBLAS 0.3.21 does not know newer CPUs (Sapphire Rapids, family 6 model 0x8F) and falls
/// back to its generic `Prescott` kernels, four times slower at `sgemm` than the `SkylakeX`
/// kernels the same CPU runs when told to. OpenBLAS reads `OPENBLAS_CORETYPE` once, in its
/// library constructor, so the only remedy in process is to set it and exec again.
public enum BLASCoreChoice {
    /// What to do.
    public enum Decision: Sendable, Equatable {
        /// Restart with `OPENBLAS_CORETYPE` set to this core name.
        case choose(String)
        /// Leave OpenBLAS as it is, for this reason.
        case keep(Reason)
    }

    /// Why OpenBLAS is left alone.
    public enum Reason: Sendable, Equatable {
        /// `OPENBLAS_CORETYPE` was set by the user; their choice always wins.
        case userSetting
        /// Grove already chose (this process is the restarted one): never restart twice.
        case alreadyChosen
        /// The reported core is as capable as anything this OpenBLAS accepts for the CPU.
        case alreadyMatches
        /// The CPU is not x86-64, or has no feature that a named core needs.
        case noAdvice
        /// OpenBLAS reports a core name Grove does not rank (a newer OpenBLAS knows better).
        case unknownCore
    }

    /// A core OpenBLAS can be told to run, and how capable it is.
    struct Core {
        var name: String
        /// 0: SSE only, 1: AVX, 2: AVX2 + FMA, 3: AVX-512, 4: AVX-512 with BF16.
        var level: Int
        /// The first OpenBLAS release whose `OPENBLAS_CORETYPE` accepts the name.
        var acceptedSince = OpenBLASVersion(0, 0, 0)
    }

    /// The x86-64 cores of OpenBLAS's DYNAMIC_ARCH builds, lowercased name to capability level.
    static let levels: [String: Int] = {
        var levels: [String: Int] = [:]
        for name in ["unknown", "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn",
                     "dunnington", "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano", "bobcat"] {
            levels[name] = 0
        }
        for name in ["sandybridge", "bulldozer", "piledriver", "steamroller"] { levels[name] = 1 }
        for name in ["haswell", "excavator", "zen"] { levels[name] = 2 }
        levels["skylakex"] = 3
        for name in ["cooperlake", "sapphirerapids"] { levels[name] = 4 }
        return levels
    }()

    /// The cores worth running on `cpu`, best first. `Cooperlake` is accepted by
    /// `OPENBLAS_CORETYPE` only from 0.3.22 (0.3.21 answers "Core not found" and detects
    /// again), so older releases get `SkylakeX`, whose single-precision kernels are the same.
    static func candidates(for cpu: CPUFeatures) -> [Core] {
        if cpu.avx512BF16 {
            return [Core(name: "Cooperlake", level: 4, acceptedSince: OpenBLASVersion(0, 3, 22)), Core(name: "SkylakeX", level: 3)]
        }
        if cpu.avx512 { return [Core(name: "SkylakeX", level: 3)] }
        if cpu.avx2FMA { return [Core(name: cpu.vendor == .amd ? "Zen" : "Haswell", level: 2)] }
        if cpu.avx { return [Core(name: "Sandybridge", level: 1)] }
        return []
    }

    /// The core Grove would name for `cpu` under OpenBLAS `version`, if any.
    public static func suggestion(for cpu: CPUFeatures, version: OpenBLASVersion?) -> String? {
        let version = version ?? OpenBLASVersion(0, 0, 0)
        return candidates(for: cpu).first { $0.acceptedSince <= version }?.name
    }

    /// Decides from the core OpenBLAS `reported`, the CPU's features (`nil` off x86-64), the
    /// environment and OpenBLAS's version (`nil` when unknown: only names every release accepts).
    public static func decide(reported: String, cpu: CPUFeatures?, environment: BLASCoreEnvironment,
                              version: OpenBLASVersion?) -> Decision {
        if environment.chosenByGrove != nil { return .keep(.alreadyChosen) }
        if environment.coreType != nil { return .keep(.userSetting) }
        guard let cpu, let name = suggestion(for: cpu, version: version),
              let level = levels[name.lowercased()] else { return .keep(.noAdvice) }
        guard let reportedLevel = levels[reported.lowercased()] else { return .keep(.unknownCore) }
        return level > reportedLevel ? .choose(name) : .keep(.alreadyMatches)
    }
}
