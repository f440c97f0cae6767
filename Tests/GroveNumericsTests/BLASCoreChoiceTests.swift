import GroveNumerics
import Testing

/// When Grove restarts itself with `OPENBLAS_CORETYPE`, and when it leaves OpenBLAS alone.
@Suite struct BLASCoreChoiceTests {
    static let unset = BLASCoreEnvironment(coreType: nil, chosenByGrove: nil)
    static let v0321 = OpenBLASVersion(0, 3, 21)
    static let sapphireRapids = CPUFeatures(vendor: .intel, avx: true, avx2FMA: true, avx512: true, avx512BF16: true)
    static let skylakeSP = CPUFeatures(vendor: .intel, avx: true, avx2FMA: true, avx512: true, avx512BF16: false)
    static let haswell = CPUFeatures(vendor: .intel, avx: true, avx2FMA: true, avx512: false, avx512BF16: false)
    static let zen2 = CPUFeatures(vendor: .amd, avx: true, avx2FMA: true, avx512: false, avx512BF16: false)
    static let sse = CPUFeatures(vendor: .intel, avx: false, avx2FMA: false, avx512: false, avx512BF16: false)

    @Test func aGenericCoreOnAnAVX512CPUIsReplaced() {
        // 0.3.21's OPENBLAS_CORETYPE does not accept Cooperlake: SkylakeX it is.
        #expect(BLASCoreChoice.decide(reported: "Prescott", cpu: Self.sapphireRapids, environment: Self.unset, version: Self.v0321) == .choose("SkylakeX"))
        #expect(BLASCoreChoice.decide(reported: "Prescott", cpu: Self.sapphireRapids, environment: Self.unset, version: OpenBLASVersion(0, 3, 22)) == .choose("Cooperlake"))
        #expect(BLASCoreChoice.decide(reported: "Sandybridge", cpu: Self.skylakeSP, environment: Self.unset, version: Self.v0321) == .choose("SkylakeX"))
        #expect(BLASCoreChoice.decide(reported: "Haswell", cpu: Self.skylakeSP, environment: Self.unset, version: Self.v0321) == .choose("SkylakeX"))
        #expect(BLASCoreChoice.decide(reported: "Prescott", cpu: Self.sapphireRapids, environment: Self.unset, version: nil) == .choose("SkylakeX"))
    }

    @Test func aGenericCoreOnAnAVX2CPUBecomesHaswellOrZen() {
        #expect(BLASCoreChoice.decide(reported: "Nehalem", cpu: Self.haswell, environment: Self.unset, version: Self.v0321) == .choose("Haswell"))
        #expect(BLASCoreChoice.decide(reported: "Prescott", cpu: Self.zen2, environment: Self.unset, version: Self.v0321) == .choose("Zen"))
        #expect(BLASCoreChoice.decide(reported: "core2", cpu: Self.haswell, environment: Self.unset, version: Self.v0321) == .choose("Haswell"))
    }

    @Test func theUsersSettingAlwaysWinsAndARestartNeverRestartsAgain() {
        let user = BLASCoreEnvironment(coreType: "Prescott", chosenByGrove: nil)
        #expect(BLASCoreChoice.decide(reported: "Prescott", cpu: Self.sapphireRapids, environment: user, version: Self.v0321) == .keep(.userSetting))
        let restarted = BLASCoreEnvironment(coreType: "SkylakeX", chosenByGrove: "SkylakeX")
        #expect(BLASCoreChoice.decide(reported: "Prescott", cpu: Self.sapphireRapids, environment: restarted, version: Self.v0321) == .keep(.alreadyChosen))
        let markerOnly = BLASCoreEnvironment(coreType: nil, chosenByGrove: "SkylakeX")
        #expect(BLASCoreChoice.decide(reported: "Prescott", cpu: Self.sapphireRapids, environment: markerOnly, version: Self.v0321) == .keep(.alreadyChosen))
    }

    @Test func aCoreAsGoodAsTheCPUIsKept() {
        #expect(BLASCoreChoice.decide(reported: "Cooperlake", cpu: Self.sapphireRapids, environment: Self.unset, version: Self.v0321) == .keep(.alreadyMatches))
        #expect(BLASCoreChoice.decide(reported: "SkylakeX", cpu: Self.sapphireRapids, environment: Self.unset, version: Self.v0321) == .keep(.alreadyMatches))
        #expect(BLASCoreChoice.decide(reported: "Zen", cpu: Self.haswell, environment: Self.unset, version: Self.v0321) == .keep(.alreadyMatches))
        #expect(BLASCoreChoice.decide(reported: "Haswell", cpu: Self.zen2, environment: Self.unset, version: Self.v0321) == .keep(.alreadyMatches))
        #expect(BLASCoreChoice.decide(reported: "Prescott", cpu: Self.sse, environment: Self.unset, version: Self.v0321) == .keep(.noAdvice))
        #expect(BLASCoreChoice.decide(reported: "Prescott", cpu: nil, environment: Self.unset, version: Self.v0321) == .keep(.noAdvice))
        #expect(BLASCoreChoice.decide(reported: "GraniteRapids", cpu: Self.sapphireRapids, environment: Self.unset, version: Self.v0321) == .keep(.unknownCore))
    }

    @Test func theSourceNamesWhoSetTheCoreType() {
        #expect(Self.unset.source(reported: "Cooperlake") == .openblas)
        let chosen = BLASCoreEnvironment(coreType: "SkylakeX", chosenByGrove: "SkylakeX")
        #expect(chosen.source(reported: "SkylakeX") == .grove)
        // OpenBLAS did not accept Grove's name and detected again.
        #expect(chosen.source(reported: "Prescott") == .openblas)
        #expect(BLASCoreEnvironment(coreType: "Haswell", chosenByGrove: nil).source(reported: "Haswell") == .user)
        #expect(BLASCoreEnvironment(coreType: "Katmai", chosenByGrove: nil).source(reported: "Prescott") == .user)
        #expect(BLASCoreEnvironment(coreType: "Haswell", chosenByGrove: "SkylakeX").source(reported: "Haswell") == .user)
    }

    @Test func cpuidWordsDecodeToFeatures() {
        // "GenuineIntel" as cpuid leaf 0 returns it: EBX "Genu", EDX "ineI", ECX "ntel".
        let intel: (UInt32, UInt32, UInt32) = (0x756E_6547, 0x4965_6E69, 0x6C65_746E)
        let leaf1: UInt32 = 0x1800_1000  // AVX (28), OSXSAVE (27), FMA (12)
        let leaf7: UInt32 = 0xD003_0020  // AVX-512 VL (31), BW (30), CD (28), DQ (17), F (16); AVX2 (5)
        let bf16: UInt32 = 0x20  // AVX512_BF16 (5)
        #expect(CPUFeatures(vendorWords: intel, leaf1ECX: leaf1, leaf7EBX: leaf7, leaf7Sub1EAX: bf16, xcr0: 0xE7) == Self.sapphireRapids)
        // The OS saves no ZMM state: AVX-512 is unusable however cpuid advertises it.
        #expect(CPUFeatures(vendorWords: intel, leaf1ECX: leaf1, leaf7EBX: leaf7, leaf7Sub1EAX: bf16, xcr0: 0x7) == Self.haswell)
        #expect(CPUFeatures(vendorWords: (0x6874_7541, 0x6974_6E65, 0x444D_4163), leaf1ECX: leaf1, leaf7EBX: 1 << 5,
                            leaf7Sub1EAX: 0, xcr0: 0x7) == Self.zen2)
        #expect(CPUFeatures(vendorWords: intel, leaf1ECX: 0, leaf7EBX: 0, leaf7Sub1EAX: 0, xcr0: 0) == Self.sse)
    }

    @Test func theVersionIsReadFromOpenBLASsConfiguration() {
        #expect(OpenBLASVersion(configuration: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64") == Self.v0321)
        #expect(OpenBLASVersion(configuration: "OpenBLAS 0.3.27.dev DYNAMIC_ARCH") == OpenBLASVersion(0, 3, 27))
        #expect(OpenBLASVersion(configuration: "something else") == nil)
        #expect(BLAS.version != nil, "\(BLAS.configuration)")
    }

    /// This machine's cpuid reads as a CPU Grove has a core name for (every x86-64 server has AVX).
    @Test func thisCPUsSuggestionIsAKnownCore() throws {
        guard let cpu = CPUFeatures.current else { return }  // not x86-64: nothing to suggest
        let suggestion = try #require(BLASCoreChoice.suggestion(for: cpu, version: BLAS.version))
        #expect(["Cooperlake", "SkylakeX", "Zen", "Haswell", "Sandybridge"].contains(suggestion))
    }
}
