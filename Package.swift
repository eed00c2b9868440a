// swift-tools-version:6.0
import PackageDescription

// Module graph (dependencies point one way; see docs/ARCHITECTURE.md):
//   CBLAS, CKernels → Kernels → LFM2 → Generation → ferret
//   Weights → LFM2;  Tokenizers → Generation, ColBERT;  LFM2 → ColBERT;  LFM2, Tokenizers, Weights → ModelFiles → ferret
//   CICU → Index, Ingest;  CStemmer → Index;  Index → Search;  ColBERT, Index, Search, RAG → Retrieval → Server (Hummingbird) → ferret
//   Retrieval → MCPServer (MCP swift-sdk) → ferret
let package = Package(
    name: "Ferret",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ferret", targets: ["ferret"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // Snowball stemmers for word forms in lexical search (`descaled` finds "Descale").
        .systemLibrary(name: "CStemmer", path: "Sources/CStemmer", providers: [.apt(["libstemmer-dev"])]),
        // OpenSSL's libcrypto: the SHA-256 / SHA-1 digests the Hugging Face Hub publishes for each file.
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", providers: [.apt(["libssl-dev"])]),
        // SIMD kernels with per-function target attributes (chosen at run time from CPUID) and the thread pool.
        // Optimised even in debug builds: the tests run every path the CPU supports.
        .target(name: "CKernels", exclude: ["README.md"], cSettings: [.unsafeFlags(["-O3"])],
                linkerSettings: [.linkedLibrary("pthread")]),
        .target(name: "Kernels", dependencies: ["CBLAS", "CKernels"], exclude: ["README.md"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"])]),
        .target(name: "Weights", exclude: ["README.md"]),
        // SHA-256 / SHA-1 over libcrypto: document hashes, the Hub's file digests.
        .target(name: "Digests", dependencies: ["CCrypto"]),
        .target(name: "Tokenizers", exclude: ["README.md"]),
        .target(name: "LFM2", dependencies: ["Kernels", "Weights"], exclude: ["README.md"]),
        // What --model / --generator name: a Hugging Face folder or a GGUF file, loaded with its tokenizer.
        .target(name: "ModelFiles", dependencies: ["Digests", "LFM2", "Tokenizers", "Weights", "Kernels"], exclude: ["README.md"]),
        // `ferret models pull`: the Hugging Face Hub's download protocol over Foundation's URLSession (libcurl).
        .target(name: "ModelHub", dependencies: ["ModelFiles", "Digests"], exclude: ["README.md"]),
        .target(name: "Generation", dependencies: ["LFM2", "Tokenizers", "Kernels"], exclude: ["README.md"]),
        // ICU word and sentence breaks, charset detection and conversion behind our own header (ICU's headers clash
        // with Foundation's bundled ICU). The charset detector lives in icui18n.
        .target(name: "CICU", linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n")]),
        .target(name: "ColBERT", dependencies: ["LFM2", "Tokenizers", "Kernels", "Weights"], exclude: ["README.md"]),
        .target(name: "Index", dependencies: ["CICU", "CStemmer", "Kernels", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["README.md"]),
        // Files to text: the walker, text decoding, and the extractors (ZIP containers through ZIPFoundation, XML
        // through Foundation's parser, PDF through poppler's tools).
        .target(name: "Ingest", dependencies: ["CICU", "Digests", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                exclude: ["README.md"]),
        .target(name: "Search", dependencies: ["Index", "Kernels", "CICU"], exclude: ["README.md"]),
        // The write path: walk → diff against the index → extract → chunk → encode → store, one file per transaction.
        .target(name: "Indexing", dependencies: ["Ingest", "Index", "ColBERT"], exclude: ["README.md"]),
        .target(name: "RAG", dependencies: ["Generation", "Tokenizers", "LFM2"], exclude: ["README.md"]),
        // Search hits as answerable passages, shared by `ask`, `chat` and the server.
        .target(name: "Retrieval", dependencies: ["ColBERT", "Index", "Search", "RAG"], exclude: ["README.md"]),
        .target(name: "Server", dependencies: [
            "Retrieval", "Search", "RAG", "ColBERT", "Index", "Indexing", "Ingest", "Generation", "LFM2", "Tokenizers",
            .product(name: "Hummingbird", package: "hummingbird"),
        ], exclude: ["README.md"]),
        // `ferret mcp`: the index as Model Context Protocol tools over stdio, for editors and agents.
        .target(name: "MCPServer", dependencies: [
            "Retrieval", "Search", "RAG", "ColBERT", "Index", "Generation",
            .product(name: "MCP", package: "swift-sdk"),
        ], exclude: ["README.md"]),
        .executableTarget(name: "ferret", dependencies: [
            "LFM2", "Tokenizers", "Weights", "Generation", "Kernels", "ColBERT", "Index", "Ingest", "Search", "Indexing", "RAG", "Retrieval", "Server", "ModelFiles", "ModelHub",
            "MCPServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // Fuzz targets for the extractors, text decoding and the tokenizer (scripts/fuzz.sh builds it with libFuzzer);
        // built normally it replays inputs, so crashes kept under Tests/Fixtures/fuzz/ stay fixed.
        .executableTarget(name: "ferret-fuzz", dependencies: ["Ingest", "Tokenizers"], path: "Sources/FerretFuzz"),
        // Fixture paths and numeric comparison helpers shared by the test targets.
        .target(name: "TestSupport", dependencies: ["Weights", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                path: "Tests/Support"),
        // A Hugging Face Hub on loopback (the fixture models behind the Hub's URLs), for the pull tests.
        .target(name: "MockHub", dependencies: [.product(name: "Hummingbird", package: "hummingbird")], path: "Tests/MockHub"),
        .testTarget(name: "ModelHubTests", dependencies: ["ModelHub", "ModelFiles", "Digests", "MockHub", "TestSupport"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "TestSupport"]),
        .testTarget(name: "WeightsTests", dependencies: ["Weights", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"]),
        .testTarget(name: "LFM2Tests", dependencies: ["LFM2", "Weights", "Kernels", "TestSupport"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "LFM2", "Tokenizers", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["ferret", "Index", "TestSupport", "MockHub"]),
        .testTarget(name: "ColBERTTests", dependencies: ["ColBERT", "LFM2", "Tokenizers", "TestSupport"]),
        .testTarget(name: "IndexTests", dependencies: ["Index", "CICU", "Kernels", "TestSupport",
                                                    .product(name: "GRDB", package: "GRDB.swift")]),
        // ZIPFoundation writes the office and e-book files the extractor tests read, at test time.
        .testTarget(name: "IngestTests", dependencies: [
            "Ingest", "Digests", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Index", "TestSupport"]),
        .testTarget(name: "IndexingTests", dependencies: ["Indexing", "Index", "Ingest", "ColBERT", "TestSupport"]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "Retrieval", "Index", "Indexing", "ColBERT", "Generation", "LFM2", "Tokenizers", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles", "Digests", "LFM2", "Generation", "Tokenizers", "TestSupport"]),
        .testTarget(name: "RAGTests", dependencies: ["RAG", "Generation", "Tokenizers", "LFM2", "TestSupport"]),
    ]
)
