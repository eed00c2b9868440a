// swift-tools-version:6.0
import PackageDescription

// Module graph (dependencies point one way; see docs/ARCHITECTURE.md):
//   CBLAS → Kernels → LFM2 → Generation → ferret
//   Weights → LFM2;  Tokenizers → Generation
let package = Package(
    name: "Ferret",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ferret", targets: ["ferret"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Kernels", dependencies: ["CBLAS"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"])]),
        .target(name: "Weights"),
        .target(name: "Tokenizers"),
        .target(name: "LFM2", dependencies: ["Kernels", "Weights"]),
        .target(name: "Generation", dependencies: ["LFM2", "Tokenizers", "Kernels"]),
        .executableTarget(name: "ferret", dependencies: [
            "LFM2", "Tokenizers", "Weights", "Generation", "Kernels",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Fixture paths and numeric comparison helpers shared by the test targets.
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "TestSupport"]),
        .testTarget(name: "WeightsTests", dependencies: ["Weights", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"]),
        .testTarget(name: "LFM2Tests", dependencies: ["LFM2", "Weights", "Kernels", "TestSupport"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "LFM2", "Tokenizers", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["ferret", "TestSupport"]),
    ]
)
