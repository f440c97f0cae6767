import COpenBLAS

/// The x86-64 vector features that decide which OpenBLAS kernels a CPU can run, each counted
/// only when the operating system also saves the registers it needs (XCR0).
public struct CPUFeatures: Sendable, Equatable {
    /// Who made the CPU, from `cpuid` leaf 0.
    public enum Vendor: Sendable, Equatable {
        /// `GenuineIntel`.
        case intel
        /// `AuthenticAMD` or `HygonGenuine` (Zen designs).
        case amd
        /// Anything else.
        case other
    }

    /// The CPU's maker.
    public var vendor: Vendor
    /// 256-bit AVX with its state enabled by the OS.
    public var avx: Bool
    /// AVX2 and FMA3, usable.
    public var avx2FMA: Bool
    /// AVX-512 F, CD, BW, DQ and VL, usable (the Skylake-SP set).
    public var avx512: Bool
    /// AVX512_BF16 on top of ``avx512``.
    public var avx512BF16: Bool

    /// Features given directly (tests, and the decoding of `cpuid`).
    public init(vendor: Vendor, avx: Bool, avx2FMA: Bool, avx512: Bool, avx512BF16: Bool) {
        self.vendor = vendor
        self.avx = avx
        self.avx2FMA = avx2FMA
        self.avx512 = avx512
        self.avx512BF16 = avx512BF16
    }

    /// This CPU's features, read with `cpuid` and `xgetbv`; `nil` when the CPU is not x86-64.
    public static var current: CPUFeatures? {
        let leaf0 = grove_cpuid(0, 0)
        guard leaf0.valid != 0 else { return nil }
        let leaf7 = grove_cpuid(7, 0)
        let leaf7sub1 = leaf7.valid != 0 && leaf7.eax >= 1 ? grove_cpuid(7, 1) : grove_cpuid_registers()
        return CPUFeatures(vendorWords: (leaf0.ebx, leaf0.edx, leaf0.ecx), leaf1ECX: grove_cpuid(1, 0).ecx,
                           leaf7EBX: leaf7.ebx, leaf7Sub1EAX: leaf7sub1.eax, xcr0: grove_xcr0())
    }

    /// Decodes the `cpuid` words: the vendor string (leaf 0's EBX, EDX, ECX), leaf 1's ECX,
    /// leaf 7's EBX, leaf 7 subleaf 1's EAX, and XCR0.
    public init(vendorWords: (UInt32, UInt32, UInt32), leaf1ECX: UInt32, leaf7EBX: UInt32, leaf7Sub1EAX: UInt32, xcr0: UInt64) {
        func bit(_ word: UInt32, _ index: UInt32) -> Bool { word & (1 << index) != 0 }
        let avxState = xcr0 & 0x6 == 0x6            // XMM and YMM
        let avx512State = avxState && xcr0 & 0xE0 == 0xE0  // opmask, ZMM0-15 upper halves, ZMM16-31
        let avx = avxState && bit(leaf1ECX, 28)
        let avx2FMA = avx && bit(leaf1ECX, 12) && bit(leaf7EBX, 5)
        let avx512 = avx2FMA && avx512State && [16, 17, 28, 30, 31].allSatisfy { bit(leaf7EBX, $0) }
        self.init(vendor: Vendor(words: vendorWords), avx: avx, avx2FMA: avx2FMA, avx512: avx512,
                  avx512BF16: avx512 && bit(leaf7Sub1EAX, 5))
    }
}

extension CPUFeatures.Vendor {
    /// The vendor named by the twelve bytes of `cpuid` leaf 0 (EBX, EDX, ECX, little-endian).
    init(words: (UInt32, UInt32, UInt32)) {
        var bytes: [UInt8] = []
        for word in [words.0, words.1, words.2] {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        switch String(decoding: bytes, as: UTF8.self) {
        case "GenuineIntel": self = .intel
        case "AuthenticAMD", "HygonGenuine": self = .amd
        default: self = .other
        }
    }
}
