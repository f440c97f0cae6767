// swift-tools-version:6.0
import PackageDescription

/// Release builds of the numeric kernels (GroveNumerics, GroveModel, GroveLearning, GroveBench)
/// drop bounds, overflow and exclusivity checks; debug builds (and therefore the tests) keep
/// every check. Everything that parses input or serves requests keeps its checks in release
/// too: GroveData and the `grove` executable use `checkedRelease`, which only picks the CPU.
/// On x86-64, release builds target the Haswell feature set (AVX2 + FMA, x86-64-v3: every x86
/// server since 2015) so that element-wise kernels such as AdamW vectorise 8 floats wide
/// instead of SSE2's 4. The kernels also build without C's `errno` for math functions
/// (`-fno-math-errno`): Swift's `Float.squareRoot()` goes through a C shim that would otherwise
/// keep a scalar `sqrtf` call per element (for a negative argument's `errno`), and AdamW's loop
/// would not vectorise. Grove never reads `errno` after arithmetic.
#if arch(x86_64)
let cpuFlags = ["-target-cpu", "haswell"]
#else
let cpuFlags: [String] = []
#endif
let fastRelease: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked", "-Xcc", "-fno-math-errno"] + cpuFlags, .when(configuration: .release)),
]
let checkedRelease: [SwiftSetting] = cpuFlags.isEmpty ? [] : [
    .unsafeFlags(cpuFlags, .when(configuration: .release)),
]

let package = Package(
    name: "Grove",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "grove", targets: ["grove"]),
        /// The dataset readers, for the libFuzzer targets of the separate package in `Fuzz/`.
        .library(name: "GroveData", targets: ["GroveData"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // MARK: - System libraries

        .systemLibrary(
            name: "COpenBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(name: "CAllocator"),

        // MARK: - Public API

        .target(
            name: "GroveNumerics",
            dependencies: [
                "COpenBLAS", "CAllocator",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: fastRelease
        ),
        .target(
            name: "GroveModel",
            dependencies: ["GroveNumerics"],
            swiftSettings: fastRelease
        ),
        .target(
            name: "GroveData",
            dependencies: [
                "GroveNumerics", "CZlib",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: checkedRelease
        ),
        .target(
            name: "GroveLearning",
            dependencies: ["GroveNumerics", "GroveModel", "GroveData"],
            swiftSettings: fastRelease
        ),
        .target(name: "GroveReport", dependencies: ["GroveLearning", "GroveModel", "GroveNumerics"]),
        .target(
            name: "GroveStore",
            dependencies: [
                "GroveNumerics", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "GroveStorePostgres",
            dependencies: [
                "GroveStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "GroveService",
            dependencies: [
                "GroveNumerics", "GroveModel", "GroveData", "GroveLearning", "GroveStore", "GroveStorePostgres", "GroveReport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "GroveBench",
            dependencies: ["GroveModel", "GroveData", "GroveLearning"],
            swiftSettings: fastRelease
        ),
        .executableTarget(
            name: "grove",
            dependencies: [
                "GroveNumerics", "GroveModel", "GroveData", "GroveLearning", "GroveBench",
                "GroveStore", "GroveStorePostgres", "GroveReport", "GroveService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: checkedRelease
        ),

        // MARK: - Implementation details

        /// A child process for the store's crash test: commits phases in a loop until killed.
        .executableTarget(
            name: "GroveStoreCrashChild",
            dependencies: ["GroveStore", "GroveStorePostgres"]
        ),
        .target(
            name: "GroveTestSupport",
            dependencies: ["GroveNumerics", "GroveModel", "GroveLearning"]
        ),

        // MARK: - Unit test bundles

        .testTarget(name: "GroveNumericsTests", dependencies: ["GroveNumerics", "GroveTestSupport"]),
        .testTarget(name: "GroveModelTests", dependencies: ["GroveModel", "GroveTestSupport"]),
        .testTarget(name: "GroveDataTests", dependencies: ["GroveData", "GroveTestSupport"]),
        .testTarget(name: "GroveLearningTests", dependencies: ["GroveLearning", "GroveTestSupport"]),
        .testTarget(
            name: "GroveServiceTests",
            dependencies: [
                "GroveService", "GroveStorePostgres", "GroveTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "GroveCLITests", dependencies: ["GroveService", "GroveStorePostgres", "GroveTestSupport"]),
        .testTarget(name: "GroveStoreTests", dependencies: ["GroveStore", "GroveStorePostgres", "GroveTestSupport"]),
        .testTarget(name: "GroveReportTests", dependencies: ["GroveReport", "GroveTestSupport", "GroveLearning"], exclude: ["Golden"]),
    ]
)
