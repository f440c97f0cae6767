// swift-tools-version:6.0
import Foundation
import PackageDescription

/// libFuzzer targets for Grove's readers (`make fuzz`; see `run-fuzzers`). A package of its own,
/// so that `swift build` and `swift test` of Grove never build them: they only link with
/// `-sanitize=fuzzer,address`, which `run-fuzzers` passes.
///
/// A path dependency's identity is its directory's name, whatever the checkout is called.
let grove = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let groveIdentity = grove.lastPathComponent.lowercased()

/// One executable per reader; each is a single main.swift defining `LLVMFuzzerTestOneInput`
/// and handing control to libFuzzer through `FuzzDriver`.
let targets = [
    "FuzzCSV", "FuzzJSONL", "FuzzNPY", "FuzzIDXImages", "FuzzIDXLabels", "FuzzLabelsFile",
    "FuzzManifestYAML", "FuzzManifestJSON",
]

let package = Package(
    name: "GroveFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: grove.path)],
    targets: targets.map { name in
        .executableTarget(
            name: name, dependencies: ["FuzzDriver", .product(name: "GroveData", package: groveIdentity)])
    } + [
        .target(name: "FuzzDriver"),
    ]
)
